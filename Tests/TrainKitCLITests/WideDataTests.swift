import Foundation
import Testing
@testable import TrainKitCLICore
import TrainKitTestSupport

/// CSV files with thousands of columns train in time linear in the columns, and a column the file lacks is
/// reported with a short list of the columns it has.
@Suite struct WideDataTests {
    /// A CSV of `columns` 0/1 columns `c0…`, then a `label` column of x/y when `label` is true.
    static func wideCSV(columns n: Int, rows: Int = 20, label: Bool = true, in dir: URL) throws -> String {
        var text = (0..<n).map { "c\($0)" }.joined(separator: ",") + (label ? ",label" : "") + "\n"
        for r in 0..<rows {
            text += (0..<n).map { ($0 + r) % 7 == 0 ? "1" : "0" }.joined(separator: ",")
            text += label ? (r % 2 == 1 ? ",x\n" : ",y\n") : "\n"
        }
        return try write(text, to: "wide.csv", in: dir)
    }

    static func config(data: String, output: URL, extra: String = "") -> String {
        """
        data: {train: \(data), target: label\(extra)}
        model: {kind: mlp, hidden: [8]}
        training: {task: classification, epochs: 1, batch_size: 16, progress: silent}
        output: \(output.path)
        """
    }

    @Test func d12TargetMessageListsAtMostTwentyColumns() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.wideCSV(columns: 10_000, rows: 2, label: false, in: dir)
        let config = try write(Self.config(data: data, output: dir.appendingPathComponent("run")), to: "c.yaml", in: dir)
        let result = trainkit(["train", config])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("data.target: \(data) has no column 'label'"))
        #expect(result.diagnostics.contains("c18, c19, … and 9,980 more)"))
        #expect(result.diagnostics.count < 600)
    }

    @Test func d12WideCSVTrainsInLinearTime() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.wideCSV(columns: 5_000, in: dir)
        let config = try write(Self.config(data: data, output: dir.appendingPathComponent("run")), to: "c.yaml", in: dir)
        let start = Date()
        let result = trainkit(["train", config])
        #expect(result.status == 0, "\(result.diagnostics)")
        // The whole debug-build run takes about 1.2 s alone and up to 2.3 s beside the rest of the suite on two
        // cores; the column lookup this guards against took 21.4 s at 40,000 columns (d17 below reads 20,000).
        #expect(Date().timeIntervalSince(start) < Sanitizers.timeLimit(4))
    }

    @Test func d17LongDropListIsASet() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.wideCSV(columns: 20_000, rows: 20, in: dir)
        let drop = ", drop: [" + (10..<20_000).map { "c\($0)" }.joined(separator: ", ") + "]"
        let config = try write(Self.config(data: data, output: dir.appendingPathComponent("run"), extra: drop),
                               to: "c.yaml", in: dir)
        let start = Date()
        let result = trainkit(["train", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        // 10 inputs: (10 + 1)·8 + (8 + 1)·2, plus the small-table linear start's (10 + 1)·2 (SmallTableDefaults).
        #expect(result.diagnostics.contains("model mlp: 128 parameters"))
        #expect(Date().timeIntervalSince(start) < Sanitizers.timeLimit(2))
    }
}
