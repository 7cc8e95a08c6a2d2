import Foundation
import Testing
@testable import TrainKitCLICore

/// `predict` reads data without the target and without the columns training dropped.
@Suite struct UnlabelledPredictTests {
    /// Trains a regression on `a, b, id, y` with `drop: [id]` and returns the run directory.
    func trainedRun(in dir: URL) throws -> URL {
        let rows = (0..<40).map { i in "\(i % 9),\(i % 4),id\(i),\(Double(i % 9) * 2 + Double(i % 4))" }
        let csv = try write((["a,b,id,y"] + rows).joined(separator: "\n") + "\n", to: "train.csv", in: dir)
        let run = dir.appendingPathComponent("run")
        let config = """
            data: {train: \(csv), target: y, drop: [id], validation_split: 0, test_split: 0}
            model: {kind: mlp, hidden: [4]}
            training: {task: regression, epochs: 1, batch_size: 8, progress: silent}
            output: \(run.path)
            """
        let trained = trainkit(["train", try write(config, to: "config.yaml", in: dir)])
        #expect(trained.status == 0, "\(trained.diagnostics)")
        return run
    }

    @Test func d13PredictReadsUnlabelledData() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try trainedRun(in: dir)
        let unlabelled = try write("a,b\n1,2\n3,0\n", to: "new.csv", in: dir)
        let result = trainkit(["predict", run.path, "--data", unlabelled])
        #expect(result.status == 0, "\(result.diagnostics)")
        #expect(result.output.split(separator: "\n").count == 3)  // header + two rows
    }

    @Test func d13PredictWithTargetKeepsLabels() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try trainedRun(in: dir)
        let labelled = try write("a,b,id,y\n1,2,x,4\n3,0,z,6\n", to: "labelled.csv", in: dir)
        let predicted = trainkit(["predict", run.path, "--data", labelled])
        #expect(predicted.status == 0, "\(predicted.diagnostics)")
        let evaluated = trainkit(["evaluate", run.path, "--data", labelled])
        #expect(evaluated.status == 0, "\(evaluated.diagnostics)")
        let missingInput = try write("a\n1\n", to: "no-b.csv", in: dir)
        let refused = trainkit(["predict", run.path, "--data", missingInput])
        #expect(refused.status == 3)
        #expect(refused.diagnostics.contains("'b'"))
    }
}
