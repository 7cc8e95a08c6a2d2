import Foundation
import Testing
@testable import TrainKitCLICore
import TrainKit

/// Data that would train "successfully" into a wrong model is refused or warned about.
@Suite struct SilentDataTests {
    /// A regression CSV `a,b,y` where `y = 2a + b`; `cell(row, column)` may replace a value (row 0 is on line 2).
    func csv(rows: Int = 60, in dir: URL, name: String = "data.csv", cell: (Int, String) -> String? = { _, _ in nil }) throws -> String {
        let lines = (0..<rows).map { r in
            [("a", "\(r % 7)"), ("b", "\(r % 3)"), ("y", "\(2 * (r % 7) + r % 3)")].map { cell(r, $0.0) ?? $0.1 }
                .joined(separator: ",")
        }
        return try write((["a,b,y"] + lines).joined(separator: "\n") + "\n", to: name, in: dir)
    }

    func config(_ train: String, in dir: URL, extra: String = "") -> RunConfig {
        var config = RunConfig()
        config.data.train = train
        config.data.target = "y"
        config.data.testSplit = 0
        if !extra.isEmpty { config.data.test = extra }
        config.model.kind = .mlp
        config.training.task = .regression
        config.output = dir.appendingPathComponent("run").path
        return config
    }

    @Test func d15HugeFeatureIsDataError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try csv(in: dir) { r, c in c == "a" ? "\(r % 7)e300" : nil }
        #expect(throws: DataError.self) { try PreparedData.prepare(config(file, in: dir)) }
        do {
            _ = try PreparedData.prepare(config(file, in: dir))
        } catch let error as DataError {
            #expect("\(error)".contains(file) && "\(error)".contains("column 'a'"))
        }
    }

    @Test func d15InfiniteStandardDeviationIsDataError() throws {
        var encoder = TabularEncoder.fit(DataTable(columnNames: ["a"], columns: [.numeric([1, 2])]))
        try TableColumnCheck.requireFiniteScaling(encoder, file: "f.csv")
        encoder.steps[0].standardScaler = StandardScaler(mean: [1e300], std: [.infinity])
        #expect(throws: DataError.self) { try TableColumnCheck.requireFiniteScaling(encoder, file: "f.csv") }
    }

    @Test func d15NumericColumnWithAFewTextCellsWarns() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try csv(in: dir) { r, c in c == "a" && r == 4 ? "7o" : nil }  // line 6
        let data = try PreparedData.prepare(config(file, in: dir))
        #expect(data.warnings.count == 1)
        #expect(data.warnings.first?.contains("column 'a'") == true)
        #expect(data.warnings.first?.contains("line 6") == true)
        #expect(data.warnings.first?.contains(file) == true)
        let clean = try PreparedData.prepare(config(try csv(in: dir, name: "clean.csv"), in: dir))
        #expect(clean.warnings.isEmpty)
    }

    /// The warning reaches the user from `train` and `tune` (once per study), not only from the library.
    @Test func d15ColumnWarningIsPrintedByTrainAndTune() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try csv(in: dir) { r, c in c == "a" && r == 4 ? "7o" : nil }
        let yaml = """
            data: {train: \(file), target: y, test_split: 0, validation_split: 0.2}
            model: {kind: mlp, hidden: [4]}
            training: {task: regression, epochs: 1, progress: silent, optimizer: {name: adam, lr: {tune: loguniform, low: 1.0e-3, high: 1.0e-2}}}
            output: \(dir.appendingPathComponent("run").path)
            """
        let config = try write(yaml, to: "tune.yaml", in: dir)
        let tuned = trainkit(["tune", config, "--trials", "2"])
        #expect(tuned.status == 0, "\(tuned.diagnostics)")
        #expect(tuned.diagnostics.components(separatedBy: "warning: ").count == 2, "\(tuned.diagnostics)")
        #expect(tuned.diagnostics.contains("column 'a'"))
        let trained = trainkit(["train", config, "--set", "training.optimizer.lr=0.003",
                                "--set", "output=\(dir.appendingPathComponent("train").path)"])
        #expect(trained.status == 0, "\(trained.diagnostics)")
        #expect(trained.diagnostics.contains("warning: ") && trained.diagnostics.contains("column 'a'"))
    }

    @Test func d15HeaderOnlyTestFileIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try csv(in: dir)
        let test = try write("a,b,y\n", to: "test.csv", in: dir)
        do {
            _ = try PreparedData.prepare(config(train, in: dir, extra: test))
            Issue.record("expected a data error")
        } catch let error as DataError {
            #expect("\(error)".contains("\(test): no data rows"))
        }
    }
}
