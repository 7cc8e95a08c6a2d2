import Foundation
import Testing
@testable import TrainKitCLICore
import TrainKitTestSupport

/// Arguments and resumes that cannot work are explained in the user's terms: a negative `--trials` reaches
/// the range check, a resume that changes `training.epochs` under a cosine schedule names that key, and an
/// absurd `--parallel` is brought down to the trials left.
@Suite struct TuneAndResumeArgumentTests {
    @Test func d14NegativeTrialsAreExplained() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(tuneConfig(output: dir.appendingPathComponent("tune")), to: "tune.yaml", in: dir)
        for arguments in [["--trials", "-3"], ["--trials=-3"]] {
            let result = trainkit(["tune", config] + arguments)
            #expect(result.status == 2)
            #expect(result.diagnostics.contains("--trials must be >= 1, got -3"), "\(result.diagnostics)")
        }
        let zero = trainkit(["tune", config, "--trials", "0"])
        #expect(zero.diagnostics.contains("--trials must be >= 1, got 0"))
        let parallel = trainkit(["tune", config, "--trials", "2", "--parallel", "-1"])
        #expect(parallel.diagnostics.contains("--parallel must be >= 1, got -1"))
    }

    @Test func d14ResumeWithOtherEpochsUnderCosineNamesTheKey() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: 2, output: run, extra: ""), to: "config.yaml", in: dir)
        let first = trainkit(["train", config, "--set", "training.schedule=cosine"])
        #expect(first.status == 0, "\(first.diagnostics)")
        let resumed = trainkit(["train", config, "--set", "training.schedule=cosine", "--set", "training.epochs=3",
                                "--resume", run.path])
        #expect(resumed.status == 2)
        #expect(resumed.diagnostics.contains(
            "training.epochs: the cosine schedule of the run being resumed spans 2 epochs, this config's 3; training.epochs cannot change on resume with a cosine schedule (keep 2, or start a new run)"),
            "\(resumed.diagnostics)")
        #expect(!resumed.diagnostics.contains("T_max"))
        #expect(ConfigSchedule.format([0.1, 2]) == "[0.1, 2]")
    }

    @Test func d17TuneParallelIsClampedToTheTrialsLeft() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try write(tuneConfig(output: dir.appendingPathComponent("tune"), epochs: 1), to: "tune.yaml", in: dir)
        let start = Date()
        let result = trainkit(["tune", config, "--trials", "2", "--sampler", "random", "--parallel", "100000"])
        #expect(result.status == 0, "\(result.diagnostics)")
        #expect(result.diagnostics.contains("--parallel 100000: running 2 trials at once (the trials left in the study)"))
        // Two 1-epoch trials take about 1.1 s alone (debug build); the bound leaves room for the suite beside it
        // and still stops a run that starts a worker per requested slot.
        #expect(Date().timeIntervalSince(start) < Sanitizers.timeLimit(4))
    }
}
