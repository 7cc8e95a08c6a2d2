import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

/// Data a `kmeans`, `pca` or `gmm` cannot fit ends `trainkit train` with a named error and exit status 3
/// (a data error); a config that mixes the kinds' keys with exit status 2 (issue 16, item 6).
@Suite(.serialized) struct UnsupervisedBadInputTests {
    func train(_ csv: String, model: String, in dir: URL) throws -> CLIResult {
        let data = try write(csv, to: "data.csv", in: dir)
        let file = try write("""
            data: {train: \(data), test_split: 0, validation_split: 0}
            model: \(model)
            output: \(dir.appendingPathComponent("run").path)
            """, to: "run.yaml", in: dir)
        return trainkit(["train", file])
    }

    @Test func moreClustersThanRowsNamesTheKey() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = "a,b\n1,2\n2,3\n3,1\n4,5\n5,1\n"
        for (model, key) in [("{kind: kmeans, n_clusters: 6}", "model.n_clusters"), ("{kind: gmm, n_components: 9}", "model.n_components"),
                             ("{kind: pca, n_components: 3}", "model.n_components")] {
            let result = try train(csv, model: model, in: dir)
            #expect(result.status == 3, "\(model): \(result.diagnostics)")
            #expect(result.diagnostics.contains(key) && result.diagnostics.contains("data.csv"), "\(result.diagnostics)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("run/model/model.json").path))
        }
    }

    @Test func constantColumnIsADataErrorNamingIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for kind in ["kmeans", "pca", "gmm"] {
            let result = try train("a,b,flat\n1,2,7\n2,3,7\n3,1,7\n4,5,7\n", model: "{kind: \(kind)}", in: dir)
            #expect(result.status == 3, "\(kind): \(result.diagnostics)")
            #expect(result.diagnostics.contains("column 'flat' is constant"), "\(result.diagnostics)")
        }
    }

    @Test func infinityAndEmptyDataAreDataErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let infinite = try train("a,b\n1,2\n2,inf\n3,1\n", model: "{kind: kmeans, n_clusters: 2}", in: dir)
        #expect(infinite.status == 3)
        #expect(infinite.diagnostics.contains("data.csv:3:2"), "\(infinite.diagnostics)")
        let empty = try train("a,b\n", model: "{kind: pca}", in: dir)
        #expect(empty.status == 3)
        #expect(empty.diagnostics.contains("no data rows"), "\(empty.diagnostics)")
    }

    @Test func libraryRefusalsMapToTheDataErrorStatus() {
        // What the estimators throw for NaN or empty input (the CSV reader stops NaN first: it reads as missing).
        #expect(ExitStatus.forError(UnsupervisedError.nonFinite(algorithm: "kmeans", row: 1, column: 0)) == .dataError)
        #expect(ExitStatus.forError(UnsupervisedError.emptyData(algorithm: "pca", shape: [0, 3])) == .dataError)
    }

    @Test func keysOfAnotherKindAndTasksOfAnotherKindAreConfigErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = "a,b\n1,2\n2,3\n3,1\n4,5\n5,1\n"
        let cases: [(String, String)] = [
            ("{kind: pca, n_clusters: 3}", "model.n_clusters"),
            ("{kind: kmeans, init: kmeans}", "model.init"),
            ("{kind: gmm, covariance_type: full, algorithm: elkan}", "model.algorithm"),
            ("{kind: mlp, whiten: true}", "model.whiten"),
        ]
        for (model, key) in cases {
            let result = try train(csv, model: model, in: dir)
            #expect(result.status == 2, "\(model): \(result.diagnostics)")
            #expect(result.diagnostics.contains(key), "\(result.diagnostics)")
        }
        let data = try write(csv, to: "task.csv", in: dir)
        let wrongTask = trainkit(["train", try write("data: {train: \(data)}\nmodel: {kind: kmeans}\ntraining: {task: regression}\n",
                                                     to: "task.yaml", in: dir)])
        #expect(wrongTask.status == 2)
        #expect(wrongTask.diagnostics.contains("training.task"), "\(wrongTask.diagnostics)")
    }
}
