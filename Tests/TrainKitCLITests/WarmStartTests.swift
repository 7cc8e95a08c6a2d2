import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Testing
import TrainKit
@testable import TrainKitCLICore

/// `train --init-from` (weights, kept or refit preprocessing, drift warnings, lineage) and `retrain`.
@Suite struct WarmStartTests {
    /// The bundled wine CSV: its header and its data lines.
    static func wineLines() throws -> (header: String, rows: [String]) {
        let lines = try String(contentsOfFile: bundledWine, encoding: .utf8).split(separator: "\n").map(String.init)
        return (lines[0], Array(lines.dropFirst()))
    }

    /// Writes `rows` of the wine data (with its header) to `name` in `dir`.
    static func wineFile(_ rows: [String], _ name: String, in dir: URL) throws -> String {
        try write(([try wineLines().header] + rows).joined(separator: "\n") + "\n", to: name, in: dir)
    }

    /// Trains the wine config with `data` as the training file into `dir/name`; returns the run directory.
    static func train(_ dir: URL, _ name: String, data: String = bundledWine, epochs: Int = 3,
                      arguments: [String] = [], expect status: Int32 = 0) throws -> (URL, CLIResult) {
        let run = dir.appendingPathComponent(name)
        let config = try write(wineConfig(epochs: epochs, output: run).replacingOccurrences(of: bundledWine, with: data),
                               to: "\(name).yaml", in: dir)
        let result = trainkit(["train", config] + arguments)
        #expect(result.status == status, "\(result.diagnostics)")
        return (run, result)
    }

    /// The wine rows five times over: more than 5,000 training rows, so the network does not start from the
    /// linear fit (docs/config.md, Small tables) and a trained source differs from a cold start.
    static func bigWine(in dir: URL) throws -> String {
        let rows = try wineLines().rows
        return try wineFile(Array(repeating: rows, count: 5).flatMap { $0 }, "big.csv", in: dir)
    }

    /// The model's outputs for every row of the bundled wine file.
    static func outputs(_ run: URL) throws -> [Double] {
        let (artifact, model, _) = try ModelArtifact.load(run.path)
        let inputs = try artifact.preprocessing.inputs(file: bundledWine)
        return Evaluation.outputs(model, features: inputs.features).toArray(as: Double.self)
    }

    static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    /// The training loss of each epoch (metrics.jsonl).
    static func epochLosses(_ run: URL) throws -> [Double] {
        let text = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try #require(try jsonObject(String($0))["loss"] as? Double) }
    }

    @Test func warmStartStartsFromTheSourceWeightsAndKeepsItsEncoder() throws {
        let dir = try temporaryDirectory()
        let rows = try Self.wineLines().rows
        let (source, _) = try Self.train(dir, "source", data: try Self.bigWine(in: dir), epochs: 2)
        // New data: another part of the file, so a refit encoder would differ from the source's.
        let part = try Self.wineFile(Array(rows.prefix(600)), "part.csv", in: dir)
        let tiny = ["--set", "training.optimizer.lr=0.000000000001"]
        let (warm, _) = try Self.train(dir, "warm", data: part, epochs: 1, arguments: ["--init-from", source.path] + tiny)
        let (cold, _) = try Self.train(dir, "cold", data: part, epochs: 1, arguments: tiny)
        let sourceOutputs = try Self.outputs(source)
        #expect(Self.maxDifference(try Self.outputs(warm), sourceOutputs) < 1e-5)
        #expect(Self.maxDifference(try Self.outputs(cold), sourceOutputs) > 1e-3, "a cold start should not predict as the source")

        let sourceTable = try #require(try ModelArtifact.load(source.path).artifact.preprocessing.table)
        let warmArtifact = try ModelArtifact.load(warm.path).artifact
        #expect(warmArtifact.preprocessing.table?.encoder == sourceTable.encoder)
        #expect(warmArtifact.preprocessing.table?.inputColumns == sourceTable.inputColumns)
        #expect(try ModelArtifact.load(cold.path).artifact.preprocessing.table?.encoder != sourceTable.encoder)
        let (refit, _) = try Self.train(dir, "refit", data: part, epochs: 1,
                                        arguments: ["--init-from", source.path, "--refit-preprocessing"] + tiny)
        #expect(try ModelArtifact.load(refit.path).artifact.preprocessing.table?.encoder != sourceTable.encoder)

        let lineage = try #require(try Lineage.read(runDirectory: warm))
        #expect(lineage.source == source.path && lineage.preprocessing == "kept" && lineage.name == nil)
        #expect(try Lineage.read(runDirectory: cold) == nil)
    }

    @Test func warmStartDoesNotRefitTheLinearStart() throws {
        let dir = try temporaryDirectory()
        let rows = try Self.wineLines().rows
        // A small table: the source is a LinearStartNet whose linear part was fitted on all the rows.
        let (source, _) = try Self.train(dir, "source", epochs: 1)
        let sourceModel = try ModelArtifact.load(source.path).model
        #expect(LinearStartNet.find(in: sourceModel) != nil)
        let part = try Self.wineFile(Array(rows.suffix(500)), "part.csv", in: dir)
        let tiny = ["--set", "training.optimizer.lr=0.000000000001"]
        let (warm, _) = try Self.train(dir, "warm", data: part, epochs: 1, arguments: ["--init-from", source.path] + tiny)
        let (cold, _) = try Self.train(dir, "cold", data: part, epochs: 1, arguments: tiny)
        let skip = { (run: URL) throws -> [Double] in
            let model = try ModelArtifact.load(run.path).model
            let state = model.stateDict()
            return try #require(state["skip.weight"]).toArray(as: Double.self)
        }
        // The warm run's linear part is the source's, not a fit on the 500 new rows (which the cold run makes).
        #expect(Self.maxDifference(try skip(warm), try skip(source)) < 1e-6)
        #expect(Self.maxDifference(try skip(cold), try skip(source)) > 1e-3)
        #expect(Self.maxDifference(try Self.outputs(warm), try Self.outputs(source)) < 1e-5)
    }

    @Test func warmStartFirstEpochLossIsFarBelowAColdStart() throws {
        let dir = try temporaryDirectory()
        let big = try Self.bigWine(in: dir)
        let (source, _) = try Self.train(dir, "source", data: big, epochs: 8)
        let (warm, _) = try Self.train(dir, "warm", data: big, epochs: 1, arguments: ["--init-from", source.path])
        let (cold, _) = try Self.train(dir, "cold", data: big, epochs: 1)
        let sourceLosses = try Self.epochLosses(source)
        let warmLoss = try #require(try Self.epochLosses(warm).first)
        let coldLoss = try #require(try Self.epochLosses(cold).first)
        // The warm start begins where the source ended: its first epoch is below the source's own first epoch by
        // most of what the source's training gained.
        let gained = try #require(sourceLosses.first) - sourceLosses.last!
        #expect(gained > 0)
        #expect(warmLoss < coldLoss - gained / 4 && warmLoss < sourceLosses.first!,
                "warm \(warmLoss), cold \(coldLoss), source \(sourceLosses)")
        #expect(abs(warmLoss - sourceLosses.last!) < abs(warmLoss - coldLoss), "warm \(warmLoss), cold \(coldLoss), source \(sourceLosses)")
    }

    @Test func resumedWarmStartTakesItsSourceFromTheLineage() throws {
        let dir = try temporaryDirectory()
        let (source, _) = try Self.train(dir, "source", epochs: 1)
        let big = try Self.bigWine(in: dir)
        let text = { (run: URL) in
            wineConfig(epochs: 3, output: run).replacingOccurrences(of: bundledWine, with: big)
                .replacingOccurrences(of: "  progress: silent", with: "  progress: silent\n  checkpoint: {every_steps: 2}")
        }
        let interrupted = dir.appendingPathComponent("interrupted")
        let config = try write(text(interrupted), to: "interrupted.yaml", in: dir)
        let child = try TrainkitProcess(["train", config, "--init-from", source.path], logs: dir, name: "child")
        let latest = interrupted.appendingPathComponent("checkpoints/latest").path
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: latest) && Date() < deadline { usleep(20_000) }
        child.signal(SIGINT)
        #expect(child.wait() == 130, "\(child.diagnostics)")
        #expect(try Lineage.read(runDirectory: interrupted)?.source == source.path)

        // --resume without --init-from: the lineage gives the source, so the run ends as an uninterrupted one.
        let resumed = trainkit(["train", config, "--resume", interrupted.path])
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        #expect(resumed.diagnostics.contains("warm start from \(source.path)"), "\(resumed.diagnostics)")
        let straight = dir.appendingPathComponent("straight")
        let straightConfig = try write(text(straight), to: "straight.yaml", in: dir)
        #expect(trainkit(["train", straightConfig, "--init-from", source.path]).status == 0)
        let encoder = { (run: URL) in try ModelArtifact.load(run.path).artifact.preprocessing.table?.encoder }
        #expect(try encoder(interrupted) == encoder(source) && encoder(straight) == encoder(source))
        let a = try Data(contentsOf: interrupted.appendingPathComponent("model/weights.safetensors"))
        let b = try Data(contentsOf: straight.appendingPathComponent("model/weights.safetensors"))
        #expect(a == b)
    }

    @Test func driftWarningNamesTheColumn() throws {
        let dir = try temporaryDirectory()
        let (header, rows) = try Self.wineLines()
        let (source, _) = try Self.train(dir, "source", epochs: 1)
        let columns = header.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        let alcohol = try #require(columns.firstIndex { $0.contains("alcohol") })
        let shifted = rows.map { row -> String in
            var cells = row.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            cells[alcohol] = String((Double(cells[alcohol]) ?? 0) + 100)
            return cells.joined(separator: ";")
        }
        let drifted = try Self.wineFile(shifted, "drifted.csv", in: dir)
        let (_, result) = try Self.train(dir, "warm", data: drifted, epochs: 1, arguments: ["--init-from", source.path])
        let warnings = result.diagnostics.split(separator: "\n").filter { $0.contains("drifts outside") }
        #expect(warnings.count == 1 && warnings[0].contains("alcohol"), "\(result.diagnostics)")
        let (_, same) = try Self.train(dir, "same", epochs: 1, arguments: ["--init-from", source.path])
        #expect(!same.diagnostics.contains("drifts outside"), "\(same.diagnostics)")
    }

    /// A categorical column with categories the kept encoder never saw: one warning naming the column and them.
    @Test func unseenCategoriesAreADriftWarning() throws {
        let dir = try temporaryDirectory()
        func table(_ colors: [String], _ name: String) throws -> String {
            let rows = (0..<200).map { i in
                let x = Double(i % 17) / 17, color = colors[i % colors.count]
                return "\(color),\(x),\(color == "red" ? 1 : 0)"
            }
            return try write((["color,x,y"] + rows).joined(separator: "\n") + "\n", to: name, in: dir)
        }
        func config(_ name: String, data: String) throws -> String {
            try write("""
                seed: 0
                data: {train: \(data), target: y, categorical: [color], test_split: 0.2, validation_split: 0.1}
                model: {kind: mlp, hidden: [8]}
                training: {task: classification, epochs: 1, batch_size: 32, progress: silent}
                output: \(dir.appendingPathComponent(name).path)
                """, to: "\(name).yaml", in: dir)
        }
        #expect(trainkit(["train", try config("source", data: try table(["red", "white"], "source.csv"))]).status == 0)
        let source = dir.appendingPathComponent("source").path
        let new = trainkit(["train", try config("new", data: try table(["red", "white", "rose", "orange"], "new.csv")),
                            "--init-from", source])
        #expect(new.status == 0, "\(new.diagnostics)")
        let warnings = new.diagnostics.split(separator: "\n").filter { $0.contains("never saw") }
        #expect(warnings.count == 1 && warnings[0].contains("'color'") && warnings[0].contains("orange, rose"), "\(new.diagnostics)")
        let same = trainkit(["train", try config("same", data: try table(["white", "red"], "same.csv")), "--init-from", source])
        #expect(same.status == 0 && !same.diagnostics.contains("never saw"), "\(same.diagnostics)")
    }

    @Test func architectureMismatchIsANamedErrorWithTheShapes() throws {
        let dir = try temporaryDirectory()
        let (source, _) = try Self.train(dir, "source", epochs: 1)
        let (_, wide) = try Self.train(dir, "wide", epochs: 1,
                                       arguments: ["--init-from", source.path, "--set", "model.hidden=[16]"], expect: 2)
        #expect(wide.diagnostics.contains("parameter '") && wide.diagnostics.contains("[16, 11]")
                && wide.diagnostics.contains("[32, 11]"), "\(wide.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("wide/model").path))
        // A refit preprocessing that encodes fewer features no longer fits the first layer.
        let (_, refit) = try Self.train(dir, "refit", epochs: 1, arguments: [
            "--init-from", source.path, "--refit-preprocessing", "--set", "data.drop=[alcohol]"], expect: 2)
        #expect(refit.diagnostics.contains(", 10]") && refit.diagnostics.contains(", 11]")
                && refit.diagnostics.contains("refit"), "\(refit.diagnostics)")
        let alone = trainkit(["train", dir.appendingPathComponent("source.yaml").path, "--refit-preprocessing"])
        #expect(alone.status == 2 && alone.diagnostics.contains("--refit-preprocessing needs --init-from"), "\(alone.diagnostics)")
        let missing = trainkit(["train", dir.appendingPathComponent("source.yaml").path, "--init-from",
                                dir.appendingPathComponent("nowhere").path])
        #expect(missing.status == 2 && missing.diagnostics.contains("nowhere"), "\(missing.diagnostics)")
    }

    @Test func newClassIsANamedError() throws {
        let dir = try temporaryDirectory()
        let (header, rows) = try Self.wineLines()
        let quality = try #require(header.split(separator: ";").firstIndex { $0.contains("quality") })
        let fiveAndSix = rows.filter { ["5", "6"].contains(String($0.split(separator: ";")[quality])) }
        let (source, _) = try Self.train(dir, "source", data: try Self.wineFile(fiveAndSix, "56.csv", in: dir), epochs: 1)
        let (_, result) = try Self.train(dir, "warm", epochs: 1, arguments: ["--init-from", source.path], expect: 3)
        #expect(result.diagnostics.contains("does not know") && result.diagnostics.contains("\"7\""), "\(result.diagnostics)")
    }

    @Test func lineageOfARegisteredSourceIsTheParentOnRegister() throws {
        let dir = try temporaryDirectory()
        let store = dir.appendingPathComponent("registry.db").path
        let (source, _) = try Self.train(dir, "source", epochs: 1)
        #expect(trainkit(["models", "register", source.path, "--name", "wine", "--store", store]).status == 0)
        #expect(trainkit(["models", "alias", "set", "wine@1", "production", "--store", store]).status == 0)
        let warm = dir.appendingPathComponent("warm")
        let config = try write(wineConfig(epochs: 1, output: warm), to: "warm.yaml", in: dir)
        let child = try TrainkitProcess(["train", config, "--init-from", "wine@production"], logs: dir, name: "warm",
                                        environment: ["TRAINKIT_STORE": store])
        #expect(child.wait() == 0, "\(child.diagnostics)")
        let lineage = try #require(try Lineage.read(runDirectory: warm))
        #expect(lineage.source == "wine@production" && lineage.name == "wine" && lineage.version == 1)
        let registered = trainkit(["models", "register", warm.path, "--name", "wine", "--store", store, "--json"])
        #expect(registered.status == 0, "\(registered.diagnostics)")
        #expect(try jsonObject(registered.output)["parent"] as? String == "wine@1")
        // A cold run has no parent.
        let cold = try jsonObject(trainkit(["models", "register", source.path, "--name", "other", "--store", store, "--json"]).output)
        #expect(cold["parent"] as? String == nil)
    }

    @Test func retrainRegistersAWarmStartedVersionWithAndWithoutAppend() throws {
        let dir = try temporaryDirectory()
        let store = dir.appendingPathComponent("registry.db").path
        let (_, rows) = try Self.wineLines()
        let old = try Self.wineFile(Array(rows.prefix(1000)), "old.csv", in: dir)
        let new = try Self.wineFile(Array(rows.dropFirst(1000)), "new.csv", in: dir)
        let (source, _) = try Self.train(dir, "source", data: old, epochs: 2)
        #expect(trainkit(["models", "register", source.path, "--name", "wine", "--store", store]).status == 0)
        #expect(trainkit(["models", "alias", "set", "wine@1", "production", "--store", store]).status == 0)

        let first = trainkit(["retrain", "wine", "--data", new, "--store", store, "--set", "training.epochs=1",
                              "--output", dir.appendingPathComponent("r1").path, "--json"])
        #expect(first.status == 0, "\(first.diagnostics)")
        let summary = try jsonObject(first.output)
        #expect(summary["version"] as? String == "wine@2" && summary["parent"] as? String == "wine@1")
        // The new run's test split of the 599 new rows (test_split 0.2), both models scored on it.
        let examples = try #require(summary["test_examples"] as? Int)
        #expect(examples > 100 && examples < 130, "\(examples)")
        let newScores = try #require(summary["new"] as? [String: Double])
        let productionScores = try #require(summary["production"] as? [String: Double])
        #expect(newScores["accuracy"] != nil && productionScores["accuracy"] != nil)
        // "new" is the new run's model on its own test split: the run's test metrics.
        let runMetrics = try jsonObject(try String(contentsOf: dir.appendingPathComponent("r1/metrics.json"), encoding: .utf8))
        #expect((runMetrics["test_accuracy"] as? Double).map { abs($0 - newScores["accuracy"]!) < 1e-9 } == true)
        #expect(productionScores.keys.sorted() == newScores.keys.sorted())
        let shown = try jsonObject(trainkit(["models", "show", "wine@2", "--store", store, "--json"]).output)
        #expect(shown["parent"] as? String == "wine@1")
        #expect((shown["dataHashes"] as? [String: String])?.keys.contains("train: \(new)") == true)
        let list = try jsonObject("{\"m\": \(trainkit(["models", "list", "--json", "--store", store]).output)}")
        #expect(((list["m"] as? [[String: Any]])?.first?["aliases"] as? [String: Int]) == ["production": 1], "not promoted")

        let appended = dir.appendingPathComponent("r2")
        let second = trainkit(["retrain", "wine", "--data", new, "--append", "--store", store, "--set", "training.epochs=1",
                               "--output", appended.path, "--json"])
        #expect(second.status == 0, "\(second.diagnostics)")
        #expect(try jsonObject(second.output)["version"] as? String == "wine@3")
        let combined = appended.path + "-train.csv"
        let combinedLines = try String(contentsOfFile: combined, encoding: .utf8).split(separator: "\n")
        #expect(combinedLines.count == rows.count + 1)
        let third = try jsonObject(trainkit(["models", "show", "wine@3", "--store", store, "--json"]).output)
        #expect((third["dataHashes"] as? [String: String])?.keys.contains("train: \(combined)") == true)

        // The old training file changed since wine@1 was registered: a named data error, nothing registered.
        try (try String(contentsOfFile: old, encoding: .utf8) + rows[1500] + "\n").write(
            toFile: old, atomically: true, encoding: .utf8)
        let changed = trainkit(["retrain", "wine", "--data", new, "--append", "--store", store,
                                "--output", dir.appendingPathComponent("r3").path])
        #expect(changed.status == 3 && changed.diagnostics.contains("has changed since it was registered"),
                "\(changed.diagnostics)")
        try FileManager.default.removeItem(atPath: old)
        let gone = trainkit(["retrain", "wine", "--data", new, "--append", "--store", store,
                             "--output", dir.appendingPathComponent("r4").path])
        #expect(gone.status == 3 && gone.diagnostics.contains("is gone"), "\(gone.diagnostics)")
        let versions = try JSONSerialization.jsonObject(
            with: Data(trainkit(["models", "show", "wine", "--store", store, "--json"]).output.utf8)) as? [Any]
        #expect(versions?.count == 3)
        // A model without a production version is a usage error.
        #expect(trainkit(["retrain", "nothing", "--data", new, "--store", store]).status == 2)
    }
}
