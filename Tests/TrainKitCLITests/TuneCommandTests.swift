import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A wine classification config with a search space (2×2 choices by default).
func tuneConfig(
    output: URL, epochs: Int = 2, hidden: String = "{tune: choice, values: [[16], [32]]}",
    lr: String = "{tune: choice, values: [0.001, 0.01]}", dropout: String = "0.0"
) -> String {
    """
    seed: 0
    data:
      train: \(bundledWine)
      target: quality
      test_split: 0.2
      validation_split: 0.1
    model:
      kind: mlp
      hidden: \(hidden)
      dropout: \(dropout)
    training:
      task: classification
      epochs: \(epochs)
      batch_size: 32
      optimizer: {name: adam, lr: \(lr)}
      progress: silent
    output: \(output.path)
    """
}

/// The trials of a `tune --json` answer.
func trials(_ object: [String: Any]) throws -> [[String: Any]] { try #require(object["trials"] as? [[String: Any]]) }

/// `params` as one comparable string (`model.hidden=[16] training.optimizer.lr=0.01`).
func key(_ trial: [String: Any]) -> String {
    let params = trial["params"] as? [String: Any] ?? [:]
    return params.keys.sorted().map { "\($0)=\(params[$0]!)" }.joined(separator: " ")
}

/// The events of a study journal.
func journalEvents(_ url: URL) throws -> [[String: Any]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try jsonObject(String($0)) }
}

/// `trainkit tune`: grid / random / ASHA studies on the bundled wine data, best.yaml, resuming after SIGKILL.
/// Serialized: training seeds the process-wide random stream.
@Suite(.serialized) struct TuneCommandTests {
    @Test func gridRunsEveryPointAndWritesABestConfigThatTrainReproduces() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("tune")
        let config = try write(tuneConfig(output: run), to: "tune.yaml", in: dir)
        let result = trainkit(["tune", config, "--trials", "10", "--sampler", "grid", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let object = try jsonObject(result.output)
        let all = try trials(object)
        #expect(all.count == 4, "a 2×2 grid ends the study after 4 trials")
        #expect(all.allSatisfy { $0["state"] as? String == "complete" })
        #expect(Set(all.map(key)).count == 4)
        let best = try #require(object["best"] as? [String: Any])
        let params = try #require(best["params"] as? [String: Any])
        #expect(Set(params.keys) == ["model.hidden", "training.optimizer.lr"])
        let metrics = try #require(best["metrics"] as? [String: Double])
        let bestValue = try #require(metrics["val_accuracy"])
        #expect(all.compactMap { $0["value"] as? Double }.allSatisfy { $0 <= bestValue })
        #expect(metrics.keys.allSatisfy { !$0.hasPrefix("test_") }, "trials never score the test part")
        let bestYAML = run.appendingPathComponent("best.yaml")
        #expect(object["best_config"] as? String == bestYAML.path)
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("study.jsonl").path))

        // best.yaml trains as it is and reproduces the best trial (same seed, same split, same values).
        let trained = trainkit(["train", bestYAML.path, "--json"])
        #expect(trained.status == 0, "\(trained.diagnostics)")
        let final = try #require(try jsonObject(trained.output)["metrics"] as? [String: Double])
        #expect(final["val_accuracy"] == bestValue)
        #expect(final["test_accuracy"] != nil)
        let resolved = try RunConfig.load(file: bestYAML.path)
        #expect(resolved.output == run.appendingPathComponent("best-run").path)
        #expect("\(params["training.optimizer.lr"]!)" == "\(resolved.training.optimizer.lr)")

        // The journal belongs to this space: another space in the same directory is refused.
        let other = trainkit([
            "tune", config, "--trials", "4", "--set", "model.dropout={tune: uniform, low: 0, high: 0.3}",
        ])
        #expect(other.status == 2 && other.diagnostics.contains("--set output=DIR"), "\(other.diagnostics)")

        // Two trials at a time give each point the same score as one at a time.
        let parallel = trainkit([
            "tune", config, "--trials", "4", "--sampler", "grid", "--parallel", "2", "--json",
            "--set", "output=\(dir.appendingPathComponent("parallel").path)",
        ])
        #expect(parallel.status == 0, "\(parallel.diagnostics)")
        let sequentialValues = Dictionary(uniqueKeysWithValues: all.map { (key($0), $0["value"] as? Double) })
        for trial in try trials(try jsonObject(parallel.output)) {
            #expect(sequentialValues[key(trial)] == trial["value"] as? Double, "\(key(trial))")
        }
    }

    @Test func theSameSeedGivesTheSameTrials() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(
            tuneConfig(
                output: dir.appendingPathComponent("a"), hidden: "[16]",
                lr: "{tune: loguniform, low: 1e-4, high: 1e-1}",
                dropout: "{tune: uniform, low: 0, high: 0.5}"), to: "tune.yaml", in: dir)
        func study(_ extra: [String]) throws -> [[String: Any]] {
            let result = trainkit(["tune", config, "--trials", "3", "--sampler", "random", "--json"] + extra)
            #expect(result.status == 0, "\(result.diagnostics)")
            return try trials(try jsonObject(result.output))
        }
        let first = try study([])
        let second = try study(["--set", "output=\(dir.appendingPathComponent("b").path)"])
        #expect(first.count == 3)
        #expect(first.map(key) == second.map(key))
        #expect(first.map { $0["value"] as? Double } == second.map { $0["value"] as? Double })
        let other = try study(["--set", "output=\(dir.appendingPathComponent("c").path)", "--set", "seed=1"])
        #expect(other.map(key) != first.map(key))
    }

    @Test func ashaPrunesWeakTrialsEarly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("tune")
        let config = try write(
            tuneConfig(
                output: run, epochs: 9, hidden: "[16]",
                lr: "{tune: loguniform, low: 1e-5, high: 1e-1}"), to: "tune.yaml", in: dir)
        let result = trainkit(["tune", config, "--trials", "8", "--sampler", "random", "--prune", "asha", "--json"])
        #expect(result.status == 0, "\(result.diagnostics)")
        let object = try jsonObject(result.output)
        let all = try trials(object)
        #expect(all.count == 8)
        let pruned = all.filter { $0["state"] as? String == "pruned" }
        #expect(!pruned.isEmpty, "ASHA stops some of 8 trials whose lr spans 4 decades")
        for trial in pruned {
            let reported = try #require(trial["intermediate"] as? [String: Double])
            #expect(reported.count < 9 && [1, 3].contains(reported.count), "pruned at a rung: \(reported.keys)")
        }
        let complete = all.filter { $0["state"] as? String == "complete" }
        #expect(complete.allSatisfy { ($0["intermediate"] as? [String: Double])?.count == 9 })
        #expect(result.diagnostics.contains("pruned after"))
    }

    /// A study killed (SIGKILL) after two finished trials, rerun: the two are kept as they were, the trial
    /// that was running is retried, and the study ends with the full budget.
    @Test func aKilledStudyContinuesWithItsFinishedTrials() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("tune")
        let config = try write(tuneConfig(output: run), to: "tune.yaml", in: dir)
        await #expect(processExitsWith: .signal(SIGKILL)) { [config = config as String] in
            setenv(TuneTestHook.variable, "2", 1)
            _ = TrainKitCLI.run(
                arguments: ["tune", config, "--trials", "4", "--sampler", "grid"],
                io: CommandIO(output: { _ in }, diagnostics: { _ in }))
        }
        let journal = run.appendingPathComponent("study.jsonl")
        let before = try journalEvents(journal)
        #expect(before.count { $0["event"] as? String == "finish" } == 2)
        #expect(before.count { $0["event"] as? String == "start" } == 3, "the third trial was running when killed")
        let finishedBefore = before.filter { $0["event"] as? String == "finish" }

        let rerun = trainkit(["tune", config, "--trials", "4", "--sampler", "grid", "--json"])
        #expect(rerun.status == 0, "\(rerun.diagnostics)")
        #expect(rerun.diagnostics.contains("2 finished trials kept"))
        let all = try trials(try jsonObject(rerun.output))
        #expect(all.count == 5)
        #expect(all[2]["state"] as? String == "failed" && all[2]["interrupted"] as? Bool == true)
        #expect(all[3]["retry_of"] as? Int == 2 && key(all[3]) == key(all[2]))
        let complete = all.filter { $0["state"] as? String == "complete" }
        #expect(complete.count == 4 && Set(complete.map(key)).count == 4, "every grid point once")

        let after = try journalEvents(journal)
        for n in [0, 1] {
            #expect(
                after.count { $0["event"] as? String == "start" && $0["trial"] as? Int == n } == 1,
                "trial \(n) ran once")
            let finishes = after.filter { $0["event"] as? String == "finish" && $0["trial"] as? Int == n }
            #expect(finishes.count == 1)
            #expect(
                finishes.first?["value"] as? Double == finishedBefore.first { $0["trial"] as? Int == n }?["value"]
                    as? Double)
        }
        let startedParams = after.filter { $0["event"] as? String == "start" }.map(key)
        #expect(startedParams.count == 5 && Set(startedParams).count == 4, "only the interrupted point ran twice")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("best.yaml").path))
    }

    /// D16: `tune` against a journal that lost its study line refuses another study (exit 2, as with the line
    /// present) and continues the same study.
    @Test func d16TuneJournalWithoutHeader() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("tune")
        let config = try write(tuneConfig(output: run), to: "tune.yaml", in: dir)
        let first = trainkit(["tune", config, "--trials", "2", "--sampler", "grid"])
        #expect(first.status == 0, "\(first.diagnostics)")
        let journal = run.appendingPathComponent("study.jsonl")
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
        try (lines.dropFirst().joined(separator: "\n") + "\n").write(to: journal, atomically: true, encoding: .utf8)

        let other = trainkit(["tune", config, "--trials", "4", "--sampler", "grid", "--metric", "val_loss",
                              "--set", "model.dropout={tune: uniform, low: 0.0, high: 0.3}"])
        #expect(other.status == 2, "\(other.diagnostics)")
        #expect(other.diagnostics.contains("no readable study line"), "\(other.diagnostics)")
        let otherMetric = trainkit(["tune", config, "--trials", "4", "--sampler", "grid", "--metric", "val_loss"])
        #expect(otherMetric.status == 2 && otherMetric.diagnostics.contains("another metric"),
                "\(otherMetric.diagnostics)")

        let same = trainkit(["tune", config, "--trials", "3", "--sampler", "grid"])
        #expect(same.status == 0 && same.diagnostics.contains("2 finished trials kept"), "\(same.diagnostics)")
    }

    @Test func badSpacesAndOptionsStopBeforeAnyTrial() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("tune")
        func status(_ yaml: String, _ options: [String] = []) throws -> CLIResult {
            let config = try write(yaml, to: "c\(UUID().uuidString).yaml", in: dir)
            return trainkit(["tune", config, "--trials", "2"] + options)
        }
        let none = try status(tuneConfig(output: run, hidden: "[16]", lr: "0.01"))
        #expect(none.status == 2 && none.diagnostics.contains("nothing to tune"))
        let badRange = try status(tuneConfig(output: run, lr: "{tune: loguniform, low: 0, high: 1}"))
        #expect(
            badRange.status == 2 && badRange.diagnostics.contains("training.optimizer.lr"), "\(badRange.diagnostics)")
        let badKind = try status(
            tuneConfig(output: run, lr: "{tune: loguniform, low: 1e-4, high: 1e-1}")
                .replacingOccurrences(of: "kind: mlp", with: "kind: {tune: choice, values: [mlp, perceptron]}"))
        #expect(badKind.status == 2 && badKind.diagnostics.contains("perceptron"), "\(badKind.diagnostics)")
        let good = tuneConfig(output: run)
        #expect(try status(good, ["--sampler", "bayes"]).status == 2)
        #expect(try status(good, ["--prune", "median"]).status == 2)
        #expect(try status(good, ["--metric", "val_rmse"]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("study.jsonl").path))

        // Trials that fail are recorded and the study goes on; a study where none completes exits with 1.
        let diverging = try status(
            tuneConfig(output: run, lr: "{tune: choice, values: [1.0e+30, 1.0e+35]}")
                .replacingOccurrences(of: "name: adam", with: "name: sgd"), ["--sampler", "grid"])
        #expect(diverging.status == 1 && diverging.diagnostics.contains("no trial of the study completed"))
        #expect(diverging.diagnostics.contains("trial 1 failed"), "the study went on after trial 0 failed")

        let help = trainkit(["tune", "--help"])
        #expect(help.status == 0 && help.output.contains("--trials") && help.output.contains("--prune"))
        let cvHelp = trainkit(["help", "cv"])
        #expect(cvHelp.status == 0 && cvHelp.output.contains("--folds") && cvHelp.output.contains("--group-by"))
    }
}
