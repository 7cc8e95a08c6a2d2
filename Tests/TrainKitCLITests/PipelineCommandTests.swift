import Foundation
import Testing
@testable import TrainKitCLICore

#if canImport(Glibc)
    import Glibc
#endif

/// `trainkit pipeline`: train → gate → register + promote, or the search → retrain → gate again; verdicts,
/// the journal, resuming after SIGKILL in any stage, and bad configs.
@Suite struct PipelineCommandTests {
    /// A wine regression config with a pipeline section, on `data` (the bundled file by default).
    static func config(_ dir: URL, name: String, data: String = bundledWine, lr: Double = 0.003, epochs: Int = 2,
                       require: String = "test_rmse <= 5", trials: Int = 0, extraPipeline: String = "") throws -> String {
        let space = trials > 0 ? """

                space:
                  training.optimizer.lr: {tune: choice, values: [0.003, 0.01]}
            """ : ""
        let text = """
            seed: 0
            data: {train: \(data), target: quality, test_split: 0.2, validation_split: 0.1}
            model: {kind: mlp, hidden: [16]}
            training: {task: regression, epochs: \(epochs), batch_size: 64, optimizer: {name: adam, lr: \(lr)}, progress: silent}
            output: \(dir.appendingPathComponent(name).path)
            pipeline:
              name: wine
              store: \(dir.appendingPathComponent("registry.db").path)
              require: ["\(require)"]
              must_beat: production
              search:
                trials: \(trials)\(space)
            \(extraPipeline)
            """
        return try write(text, to: "\(name).yaml", in: dir)
    }

    static func stageNames(_ summary: [String: Any]) -> [String] {
        (summary["stages"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    static func versions(_ dir: URL) -> Int {
        let list = trainkit(["models", "show", "wine", "--store", dir.appendingPathComponent("registry.db").path, "--json"])
        let versions = try? JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]]
        return versions?.count ?? 0
    }

    @Test func aPassingModelIsRegisteredAndPromotedAndAnEqualOneIsRejected() throws {
        let dir = try temporaryDirectory()
        let first = trainkit(["pipeline", try Self.config(dir, name: "first"), "--json"])
        #expect(first.status == 0, "\(first.diagnostics)")
        let summary = try jsonObject(first.output)
        #expect(summary["verdict"] as? String == "promoted" && summary["model"] as? String == "wine@1")
        #expect(Self.stageNames(summary) == ["train", "gate", "register", "promote"])
        let store = dir.appendingPathComponent("registry.db").path
        let production = try jsonObject(trainkit(["models", "show", "wine@production", "--store", store, "--json"]).output)
        #expect(production["version"] as? Int == 1)

        // The same config again: it does not beat wine@1 on the same test data, and there is no search budget.
        let second = trainkit(["pipeline", try Self.config(dir, name: "second"), "--json"])
        #expect(second.status == 1, "\(second.diagnostics)")
        let rejected = try jsonObject(second.output)
        #expect(rejected["verdict"] as? String == "rejected" && rejected["model"] == nil)
        #expect(Self.stageNames(rejected) == ["train", "gate"])
        #expect(second.diagnostics.contains("does not beat wine@1 on the same test data"), "\(second.diagnostics)")
        #expect(Self.versions(dir) == 1, "a refused candidate is not registered")
        let journal = try #require(try PipelineJournal.read(in: dir.appendingPathComponent("second")))
        #expect(journal.verdict == "rejected" && journal.stages.allSatisfy { $0.status == .done })
    }

    /// A first try that fails the gate (a learning rate too small to learn in one epoch, on a table too large for
    /// the linear start); the search finds a learning rate that passes, its best trial is trained and promoted.
    @Test func aRefusedModelFallsBackOnTheSearchAndItsBestIsPromoted() throws {
        let dir = try temporaryDirectory()
        let big = try WarmStartTests.bigWine(in: dir)
        let config = try Self.config(dir, name: "loop", data: big, lr: 0.0000001, epochs: 2, require: "test_rmse <= 0.7", trials: 2)
        let result = trainkit(["pipeline", config, "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let summary = try jsonObject(result.output)
        #expect(Self.stageNames(summary) == ["train", "gate", "tune", "retrain", "gate-retrain", "register", "promote"])
        let stages = summary["stages"] as? [[String: Any]] ?? []
        let firstRMSE = try #require((stages[0]["metrics"] as? [String: Any])?["test_rmse"] as? Double)
        let retrainedRMSE = try #require((stages[3]["metrics"] as? [String: Any])?["test_rmse"] as? Double)
        #expect(firstRMSE > 0.7 && retrainedRMSE <= 0.7, "first \(firstRMSE), retrained \(retrainedRMSE)")
        #expect(stages[1]["passed"] as? Bool == false && stages[4]["passed"] as? Bool == true)
        #expect((stages[2]["trials"] as? [String: Any])?["complete"] as? Int == 2)
        #expect(summary["verdict"] as? String == "promoted" && summary["model"] as? String == "wine@1")
        // The registered version is the retrained run, with its metrics.
        let store = dir.appendingPathComponent("registry.db").path
        let version = try jsonObject(trainkit(["models", "show", "wine@production", "--store", store, "--json"]).output)
        #expect(version["source"] as? String == dir.appendingPathComponent("loop/retrain").path)
    }

    /// SIGKILL as a stage starts, inside the search, and after the registration committed but before the journal
    /// knew it: `--resume` finishes with one version, and the finished stages are not run again.
    @Test(arguments: ["retrain", "tune-trial", "register+done"])
    func aKilledPipelineResumesWhereItStopped(killAt: String) async throws {
        let dir = try temporaryDirectory()
        let big = try WarmStartTests.bigWine(in: dir)
        let config = try Self.config(dir, name: "loop", data: big, lr: 0.0000001, epochs: 2, require: "test_rmse <= 0.7", trials: 2)
        await #expect(processExitsWith: .signal(SIGKILL)) { [config = config as String, killAt = killAt as String] in
            if killAt == "tune-trial" {
                setenv(TuneTestHook.variable, "1", 1)
            } else {
                setenv(PipelineTestHook.variable, killAt, 1)
            }
            _ = TrainKitCLI.run(arguments: ["pipeline", config], io: CommandIO(output: { _ in }, diagnostics: { _ in }))
        }
        let output = dir.appendingPathComponent("loop")
        let before = try #require(try PipelineJournal.read(in: output))
        #expect(before.verdict == nil)
        let trainRecord = try #require(before.stage("train"))
        #expect(trainRecord.status == .done)

        let again = trainkit(["pipeline", config, "--json"])
        #expect(again.status == 2 && again.diagnostics.contains("--resume"), "without --resume a pipeline is not replaced")
        let resumed = trainkit(["pipeline", config, "--resume", "--json"])
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        let summary = try jsonObject(resumed.output)
        #expect(summary["verdict"] as? String == "promoted" && summary["model"] as? String == "wine@1")
        let after = try #require(try PipelineJournal.read(in: output))
        #expect(after.stage("train") == trainRecord, "the finished train stage is kept as it was")
        #expect(Self.versions(dir) == 1, "one version, however the registration was interrupted")
        if killAt == "tune-trial" {
            #expect(resumed.diagnostics.contains("1 finished trials kept"), "\(resumed.diagnostics)")
        }
        if killAt == "register+done" {
            #expect(resumed.diagnostics.contains("was registered before the interruption"), "\(resumed.diagnostics)")
        }
    }

    @Test func badPipelineConfigsAndMisuseAreNamedErrors() throws {
        let dir = try temporaryDirectory()
        let plain = try write(wineConfig(output: dir.appendingPathComponent("plain")), to: "plain.yaml", in: dir)
        let none = trainkit(["pipeline", plain])
        #expect(none.status == 2 && none.diagnostics.contains("no pipeline section"), "\(none.diagnostics)")

        let cases: [(String, String)] = [
            ("pipeline: {require: [\"test_rmse <= 1\"]}", "pipeline.name"),
            ("pipeline: {name: wine, require: [\"test_rmse about 1\"]}", "pipeline.require"),
            ("pipeline: {name: wine}", "pipeline.require"),
            ("pipeline: {name: 'wine model', require: [\"test_rmse <= 1\"]}", "pipeline.name"),
            ("pipeline: {name: wine, require: [\"test_rmse <= 1\"], search: {trials: 2}}", "pipeline.search.space"),
            ("pipeline: {name: wine, require: [\"test_rmse <= 1\"], search: {trials: 2, space: {training.optimiser.lr: {tune: uniform, low: 0.1, high: 1}}}}",
             "pipeline.search.space.training.optimiser.lr"),
            ("pipeline: {name: wine, require: [\"test_rmse <= 1\"], search: {trials: 2, space: {training.optimizer.lr: 0.1}}}",
             "pipeline.search.space.training.optimizer.lr"),
            ("pipeline: {name: wine, require: [\"test_rmse <= 1\"], search: {trials: -1}}", "pipeline.search.trials"),
            ("pipeline: {name: wine, require: [\"test_rmse <= 1\"], search: {sampler: bayes}}", "pipeline.search.sampler"),
            ("pipeline: {name: wine, require: [\"test_rmse <= 1\"], promote: production}", "pipeline.promote"),
        ]
        for (index, (section, key)) in cases.enumerated() {
            let file = try write(wineConfig(output: dir.appendingPathComponent("bad\(index)")) + "\n" + section,
                                 to: "bad\(index).yaml", in: dir)
            let result = trainkit(["pipeline", file])
            #expect(result.status == 2, "\(section): \(result.diagnostics)")
            #expect(result.diagnostics.contains(key), "\(section): \(result.diagnostics)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad\(index)").path))
        }

        let noTest = trainkit(["pipeline", try Self.config(dir, name: "notest"), "--set", "data.test_split=0"])
        #expect(noTest.status == 2 && noTest.diagnostics.contains("pipeline.require") && noTest.diagnostics.contains("needs test data"),
                "\(noTest.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("notest/train").path))

        let config = try Self.config(dir, name: "run")
        let noJournal = trainkit(["pipeline", config, "--resume"])
        #expect(noJournal.status == 2 && noJournal.diagnostics.contains("no pipeline.json"), "\(noJournal.diagnostics)")
        #expect(trainkit(["pipeline", config]).status == 0)
        let changed = trainkit(["pipeline", config, "--resume", "--set", "training.epochs=3"])
        #expect(changed.status == 2 && changed.diagnostics.contains("not the one the pipeline"), "\(changed.diagnostics)")
        // A config with a pipeline section still trains with `train`, which ignores the section.
        let train = trainkit(["train", config, "--set", "output=\(dir.appendingPathComponent("plain-train").path)"])
        #expect(train.status == 0, "\(train.diagnostics)")
    }
}
