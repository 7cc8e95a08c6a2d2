import Foundation
import Testing
@testable import TrainKitCLICore

/// Data problems are data errors (exit 3) that name the file, and the column and file line where they apply.
@Suite struct DataMessageTests {
    /// Runs `trainkit train` on `train` (a path) with a small regression config.
    func train(_ train: String, in dir: URL, task: String = "regression", extra: String = "") throws -> CLIResult {
        let config = """
            data: {train: \(train), target: y, validation_split: 0.2, test_split: 0\(extra)}
            model: {kind: mlp, hidden: [4]}
            training: {task: \(task), epochs: 1, batch_size: 8, progress: silent}
            output: \(dir.appendingPathComponent("run").path)
            """
        return trainkit(["train", try write(config, to: "config.yaml", in: dir)])
    }

    /// `a,b,y` rows; `cell(row, column)` may replace a value (row 0 is the first data row, on line 2).
    func csv(rows: Int = 30, in dir: URL, name: String = "data.csv", cell: (Int, String) -> String? = { _, _ in nil }) throws -> String {
        let lines = (0..<rows).map { r in
            ["a", "b", "y"].map { c in cell(r, c) ?? (c == "a" ? "\(r % 7)" : c == "b" ? "\(r % 3)" : "\(r % 5)") }
                .joined(separator: ",")
        }
        return try write((["a,b,y"] + lines).joined(separator: "\n") + "\n", to: name, in: dir)
    }

    @Test func d14DeviceIsNotARegularFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for device in ["/dev/null", "/dev/zero"] {
            let result = try train(device, in: dir)
            #expect(result.status == 3)
            #expect(result.diagnostics.contains("\(device): cannot read: is a device, not a regular file"))
        }
    }

    @Test func d14FIFOIsRefusedWithoutBlocking() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try train(fifo, in: dir)
        #expect(result.status == 3)
        #expect(result.diagnostics.contains("is a FIFO or pipe"))
    }

    @Test func d14FolderOfCSVsNamesDataTrain() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("tables")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try csv(in: folder)
        let result = try train(folder.path, in: dir)
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("data.train: \(folder.path) is a directory without IDX files"))
        #expect(!result.diagnostics.contains("training.task"))
    }

    @Test func d14HeaderOnlyCSVHasNoDataRows() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try csv(rows: 0, in: dir)
        let result = try train(file, in: dir, task: "classification")
        #expect(result.status == 3)
        #expect(result.diagnostics.contains("\(file): no data rows"))
    }

    @Test func d14MissingTargetNamesTheFileLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try csv(in: dir) { r, c in r == 0 && c == "y" ? "" : nil }
        for task in ["regression", "classification"] {
            let result = try train(file, in: dir, task: task)
            #expect(result.status == 3)
            #expect(result.diagnostics.contains("\(file):2:3: target 'y' is missing"), "\(result.diagnostics)")
        }
    }

    @Test func d14RatingsLackingAUserNameTheFileLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = (0..<40).map { r in "\(r == 0 ? "" : "u\(r % 6)"),i\(r % 5),\(1 + r % 5)" }
        let file = try write((["user,item,rating"] + rows).joined(separator: "\n") + "\n", to: "ratings.csv", in: dir)
        let config = """
            data: {train: \(file), validation_split: 0.2, test_split: 0.2}
            model: {kind: recommender}
            training: {epochs: 1, batch_size: 8, progress: silent}
            output: \(dir.appendingPathComponent("run").path)
            """
        let result = trainkit(["train", try write(config, to: "config.yaml", in: dir)])
        #expect(result.status == 3)
        #expect(result.diagnostics.contains("\(file):2:1: the user ('user') is missing"), "\(result.diagnostics)")
        let overflow = rows.enumerated().map { $0.offset == 3 ? "u1,i1,1e300" : $0.offset == 0 ? "u0,i0,1" : $0.element }
        try write((["user,item,rating"] + overflow).joined(separator: "\n") + "\n", to: "ratings.csv", in: dir)
        let big = trainkit(["train", try write(config, to: "config.yaml", in: dir)])
        #expect(big.status == 3)
        #expect(big.diagnostics.contains("\(file):5:3: column 'rating' holds 1e+300"), "\(big.diagnostics)")
    }

    @Test func d14InfiniteFeatureIsDataError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for value in ["inf", "Infinity", "1e999", "-1e39"] {
            let file = try csv(in: dir) { r, c in r == 3 && c == "a" ? value : nil }
            let result = try train(file, in: dir)
            #expect(result.status == 3)
            #expect(result.diagnostics.contains("\(file):5:1: column 'a' holds"), "\(value): \(result.diagnostics)")
            #expect(!result.diagnostics.contains("gradient"))
        }
    }
}
