import Foundation
import Testing
@testable import TrainKitCLICore

/// `trainkit models ...` on a trained wine run, and registered names in evaluate / predict / export.
@Suite struct RegistryCLITests {
    /// A trained run (2 epochs of the wine MLP) and a store file in a fresh folder.
    static func trainedRun(_ name: String = #function, epochs: Int = 2) throws -> (dir: URL, run: URL, store: String) {
        let dir = try temporaryDirectory(name)
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: epochs, output: run), to: "wine.yaml", in: dir)
        let trained = trainkit(["train", config])
        try #require(trained.status == 0, "\(trained.diagnostics)")
        return (dir, run, dir.appendingPathComponent("registry.db").path)
    }

    @Test func registerShowComparePromoteAndHistory() throws {
        let (_, run, store) = try Self.trainedRun()
        let first = trainkit(["models", "register", run.path, "--name", "wine", "--store", store, "--json"])
        #expect(first.status == 0, "\(first.diagnostics)")
        let version = try jsonObject(first.output)
        #expect(version["version"] as? Int == 1)
        let metrics = try #require(version["metrics"] as? [String: Double])
        let accuracy = try #require(metrics["test_accuracy"])
        let modelJSON = try jsonObject(try String(contentsOf: run.appendingPathComponent("model/model.json"), encoding: .utf8))
        #expect((modelJSON["metrics"] as? [String: Double])?["test_accuracy"] == accuracy)
        #expect((version["params"] as? String) == (try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)))
        let hashes = try #require(version["dataHashes"] as? [String: String])
        #expect(hashes["train: \(bundledWine)"]?.count == 64)
        #expect((version["inputSchema"] as? [String])?.first == "fixed acidity")

        #expect(trainkit(["models", "register", run.path, "--name", "wine", "--parent", "wine@1", "--store", store]).status == 0)
        let shown = trainkit(["models", "show", "wine@2", "--store", store])
        #expect(shown.output.contains("parent       wine@1"))
        let compared = trainkit(["models", "compare", "wine@1", "wine@2", "--store", store])
        #expect(compared.status == 0 && compared.output.contains("test data: the same"))

        // A threshold above the run's accuracy refuses with exit 1 and a table; one below promotes.
        let high = String(format: "%.4f", accuracy + 0.01), low = String(format: "%.4f", accuracy - 0.01)
        let refused = trainkit(["models", "promote", "wine@1", "--to", "production", "--require", "test_accuracy >= \(high)", "--store", store])
        #expect(refused.status == 1)
        #expect(refused.output.contains("FAIL") && refused.diagnostics.contains("was not promoted"))
        let promoted = trainkit(["models", "promote", "wine@1", "--to", "production", "--require", "test_accuracy >= \(low)",
                                 "--must-beat", "production", "--store", store])
        #expect(promoted.status == 0, "\(promoted.output)\(promoted.diagnostics)")
        // The same metrics on the same test data do not beat the holder.
        let tie = trainkit(["models", "promote", "wine@2", "--to", "production", "--require", "test_accuracy >= \(low)",
                            "--must-beat", "production", "--store", store])
        #expect(tie.status == 1 && tie.output.contains("does not beat wine@1 on the same test data"))
        let list = try jsonObject("{\"m\": \(trainkit(["models", "list", "--json", "--store", store]).output)}")
        let models = try #require(list["m"] as? [[String: Any]])
        #expect(models.count == 1 && (models[0]["aliases"] as? [String: Int]) == ["production": 1])

        let history = trainkit(["models", "history", "wine", "--json", "--store", store])
        let events = try #require(try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [[String: Any]])
        let promotions = events.filter { $0["action"] as? String == "promote" }
        #expect(promotions.map { $0["outcome"] as? String } == ["refused", "promoted", "refused"])
        #expect(promotions[0]["rule"] as? String == "test_accuracy >= \(high)")
        #expect((promotions[0]["details"] as? String)?.contains("\(accuracy)".prefix(6)) == true)
        #expect(promotions.allSatisfy { ($0["user"] as? String)?.isEmpty == false && ($0["at"] as? String)?.isEmpty == false })
    }

    @Test func registeredNamesResolveInEvaluatePredictAndExport() throws {
        let (dir, run, store) = try Self.trainedRun()
        #expect(trainkit(["models", "register", run.path, "--name", "wine", "--store", store]).status == 0)
        #expect(trainkit(["models", "alias", "set", "wine@1", "candidate", "--store", store]).status == 0)
        let env = ["TRAINKIT_STORE": store]
        func child(_ arguments: [String], _ name: String) throws -> (Int32, String, String) {
            let p = try TrainkitProcess(arguments, logs: dir, name: name, environment: env)
            let status = p.wait()
            return (status, (try? String(contentsOf: p.stdout, encoding: .utf8)) ?? "", p.diagnostics)
        }
        let direct = try child(["evaluate", run.path, "--data", bundledWine, "--json"], "direct")
        let byAlias = try child(["evaluate", "wine@candidate", "--data", bundledWine, "--json"], "alias")
        #expect(direct.0 == 0 && byAlias.0 == 0, "\(byAlias.2)")
        #expect((try jsonObject(direct.1)["metrics"] as? [String: Double]) == (try jsonObject(byAlias.1)["metrics"] as? [String: Double]))
        let predictDirect = try child(["predict", run.path, "--data", bundledWine], "pdirect")
        let predictByVersion = try child(["predict", "wine@1", "--data", bundledWine], "pversion")
        #expect(predictByVersion.0 == 0 && predictByVersion.1 == predictDirect.1 && !predictDirect.1.isEmpty)
        let onnx = dir.appendingPathComponent("wine.onnx").path
        let exported = try child(["export", "wine@1", "--output", onnx], "export")
        #expect(exported.0 == 0 && FileManager.default.fileExists(atPath: onnx), "\(exported.2)")

        // An alias naming nothing, an unknown model: exit 2, naming the alias and the store.
        let noAlias = try child(["evaluate", "wine@production", "--data", bundledWine], "noalias")
        #expect(noAlias.0 == 2 && noAlias.2.contains("'production' names no version of 'wine'") && noAlias.2.contains(store))
        let noModel = try child(["predict", "beer@1", "--data", bundledWine], "nomodel")
        #expect(noModel.0 == 2 && noModel.2.contains("no model named 'beer'"))
        // Data without a column the model reads: exit 3, naming the column and the file.
        let lines = try String(contentsOf: URL(fileURLWithPath: bundledWine), encoding: .utf8).split(separator: "\n").prefix(20)
        let dropped = lines.map { $0.split(separator: ";", omittingEmptySubsequences: false).dropFirst().joined(separator: ";") }
        let bad = try write(dropped.joined(separator: "\n") + "\n", to: "bad.csv", in: dir)
        let mismatch = try child(["evaluate", "wine@1", "--data", bad], "mismatch")
        #expect(mismatch.0 == 3 && mismatch.2.contains("fixed acidity") && mismatch.2.contains(bad))
        // A missing artifact folder: exit 3, naming the version and the path.
        let shown = try jsonObject(trainkit(["models", "show", "wine@1", "--json", "--store", store]).output)
        let folder = dir.appendingPathComponent("registry.artifacts").appendingPathComponent(try #require(shown["artifactPath"] as? String))
        try FileManager.default.removeItem(at: folder)
        let missing = try child(["predict", "wine@1", "--data", bundledWine], "missing")
        #expect(missing.0 == 3 && missing.2.contains("wine@1: the registered artifacts are missing") && missing.2.contains(folder.path))
    }

    @Test func badStoresRunsAndNamesAreRefusedWithNamedErrors() throws {
        let dir = try temporaryDirectory()
        let corrupt = try write(String(repeating: "not a database ", count: 500), to: "registry.db", in: dir)
        let damaged = trainkit(["models", "list", "--store", corrupt])
        #expect(damaged.status == 3 && damaged.diagnostics.contains(corrupt) && damaged.diagnostics.contains("not a usable registry store"))
        let store = dir.appendingPathComponent("ok.db").path
        let unfinished = trainkit(["models", "register", dir.path, "--name", "x", "--store", store])
        #expect(unfinished.status == 2 && unfinished.diagnostics.contains("not a finished run"))
        let badName = trainkit(["models", "register", dir.path, "--name", "no/slash", "--store", store])
        #expect(badName.status == 2 && badName.diagnostics.contains("is not a model name"))
        let badRule = trainkit(["models", "promote", "x@1", "--to", "production", "--require", "accuracy => 1", "--store", store])
        #expect(badRule.status == 2 && badRule.diagnostics.contains("METRIC OP NUMBER"))
        let postgresWithoutRoot = trainkit(["models", "list", "--store", "postgres://nobody@127.0.0.1:1/none"])
        #expect(postgresWithoutRoot.status == 2 && postgresWithoutRoot.diagnostics.contains("--artifacts"))
    }
}
