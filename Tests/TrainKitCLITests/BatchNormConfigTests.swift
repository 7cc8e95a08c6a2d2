import Foundation
import Testing
@testable import TrainKitCLICore

/// `model.batch_norm` with batches of one row: a last batch of one row is dropped, `batch_size: 1` is a config error.
@Suite struct BatchNormConfigTests {
    /// A small two-feature classification CSV of `rows` rows and a config training an MLP with batch norm on it.
    func run(rows: Int, batchSize: Int) throws -> CLIResult {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = (0..<rows).map { i in "\(Double(i % 7) / 7),\(Double(i % 5) / 5),\(i % 2 == 0 ? "a" : "b")" }
        let csv = try write((["x,y,label"] + lines).joined(separator: "\n") + "\n", to: "data.csv", in: dir)
        let config = """
            data: {train: \(csv), target: label, validation_split: 0, test_split: 0}
            model: {kind: mlp, hidden: [4], batch_norm: true}
            training: {task: classification, epochs: 2, batch_size: \(batchSize), progress: silent}
            output: \(dir.appendingPathComponent("run").path)
            """
        return trainkit(["train", try write(config, to: "config.yaml", in: dir)])
    }

    @Test func d4BatchNormOneRowBatch() throws {
        let result = try run(rows: 21, batchSize: 4)  // 21 = 5·4 + 1: the last batch has one row
        #expect(result.status == 0, "\(result.diagnostics)")
    }

    @Test func d4BatchNormBatchSizeOneIsConfigError() throws {
        let result = try run(rows: 10, batchSize: 1)
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("training.batch_size"))
        #expect(result.diagnostics.contains("model.batch_norm"))
    }
}
