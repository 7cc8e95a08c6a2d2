import Foundation
import Testing
import TrainKit
@testable import TrainKitCLICore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `train` does to its run directory (DEFECTS.md D1-D3, D17): a failed or killed rerun never destroys the
/// last good run, files no run wrote are never deleted, one writer at a time, signals stop with a checkpoint.
@Suite(.serialized) struct RunDirectoryTests {
    let fm = FileManager.default

    /// The run's files and bytes, without the lock file (whose holder record changes with every run).
    func files(_ run: URL) throws -> [String: Data] { try snapshot(run).filter { $0.key != RunLock.fileName } }

    func exists(_ run: URL, _ path: String) -> Bool { fm.fileExists(atPath: run.appendingPathComponent(path).path) }

    /// A finished 2-epoch run in `dir/run`, its config path and its files.
    func finishedRun(in dir: URL, extra: String = "") throws -> (run: URL, config: String, files: [String: Data]) {
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: 2, output: run, extra: extra), to: "wine.yaml", in: dir)
        let trained = trainkit(["train", config])
        #expect(trained.status == 0, "\(trained.diagnostics)")
        return (run, config, try files(run))
    }

    // MARK: - D1

    /// D1: a rerun that fails a config check, reads bad data or diverges leaves the earlier run as it was.
    @Test func d1FailedRerunKeepsTheEarlierRun() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let (run, config, before) = try finishedRun(in: dir)
        #expect(before["model/weights.safetensors"] != nil && before["checkpoints/latest"] != nil)

        let typo = trainkit(["train", config, "--set", "data.target=qualty"])
        #expect(typo.status == 2, "\(typo.diagnostics)")
        #expect(typo.diagnostics.contains("did you mean 'quality'"))
        #expect(try files(run) == before)

        let bad = try write("a;b\n1;2\n", to: "bad.csv", in: dir)
        let badData = trainkit(["train", config, "--set", "data.train=\(bad)"])
        #expect(badData.status != 0)
        #expect(try files(run) == before)

        // Diverges during training, after the earlier run was moved aside: it is moved back.
        let diverged = trainkit(["train", config, "--set", "training.task=regression",
                                 "--set", "training.optimizer={name: sgd, lr: 1.0e30}", "--set", "training.target_scaling=none"])
        #expect(diverged.status == 1, "\(diverged.diagnostics)")
        #expect(diverged.diagnostics.contains("non-finite"))
        #expect(try files(run) == before)
        #expect(!exists(run, RunContents.previousName))
    }

    /// D1: a successful rerun replaces the run; the earlier one is kept aside only while the new one runs.
    @Test func d1SuccessfulRerunReplacesTheRun() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let (run, config, before) = try finishedRun(in: dir)
        // Another seed: on this small table both short runs may keep the same linear start (SmallTableDefaults).
        let rerun = trainkit(["train", config, "--set", "training.epochs=3", "--set", "seed=1"])
        #expect(rerun.status == 0, "\(rerun.diagnostics)")
        let after = try files(run)
        #expect(after["model/weights.safetensors"] != before["model/weights.safetensors"])
        #expect(String(decoding: after["metrics.jsonl"] ?? Data(), as: UTF8.self).split(separator: "\n").count == 3)
        #expect(!exists(run, RunContents.previousName))
        #expect(!after.keys.contains { $0.contains(".tmp-") })
    }

    /// D1: files that no run wrote are never deleted: refused without --overwrite, kept beside the run with it.
    @Test func d1UserFilesAreNeverDeleted() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let project = dir.appendingPathComponent("project")
        try fm.createDirectory(at: project.appendingPathComponent("model"), withIntermediateDirectories: true)
        try fm.createDirectory(at: project.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        try write("my code\n", to: "model/net.py", in: project)
        try write("weights\n", to: "checkpoints/epoch-99.pt", in: project)
        let config = try write(wineConfig(epochs: 1, output: project), to: "wine.yaml", in: dir)
        let user = try files(project)

        let refused = trainkit(["train", config])
        #expect(refused.status == 2)
        #expect(refused.diagnostics.contains("no TrainKit run wrote"))
        #expect(refused.diagnostics.contains("model/net.py"))
        #expect(refused.diagnostics.contains("--overwrite"))
        #expect(try files(project) == user)

        let beside = trainkit(["train", config, "--overwrite"])
        #expect(beside.status == 0, "\(beside.diagnostics)")
        let after = try files(project)
        for (path, bytes) in user { #expect(after[path] == bytes, "\(path) changed") }
        #expect(after["model/model.json"] != nil)

        // A rerun over that run (a finished one) keeps the user's files too.
        #expect(trainkit(["train", config, "--overwrite"]).status == 0)
        for (path, bytes) in user { #expect(try files(project)[path] == bytes, "\(path) changed") }
    }

    /// D1 / D2: a config file named like a run's is the user's: `output: .` in a project folder is refused.
    @Test func d1OutputOverAProjectFolderIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let config = try write(wineConfig(epochs: 1, output: dir) + "\n# my notes\n", to: "config.yaml", in: dir)
        let before = try files(dir)
        for arguments in [["train", config], ["train", config, "--overwrite"]] {
            let result = trainkit(arguments)
            #expect(result.status == 2, "\(arguments): \(result.diagnostics)")
            #expect(result.diagnostics.contains("config.yaml"))
            #expect(try files(dir) == before)
        }
    }

    /// D1: a rerun killed (SIGKILL) while training keeps the earlier run in .trainkit-previous; the next commands
    /// refuse to start over without --overwrite, and a resumed run that completes drops the earlier one.
    @Test func d1KilledRerunKeepsTheEarlierRun() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let (run, config, before) = try finishedRun(in: dir, extra: "")
        let long = try write(
            wineConfig(epochs: 500, output: run).replacingOccurrences(
                of: "  progress: silent", with: "  progress: silent\n  checkpoint: {every_steps: 3}"),
            to: "long.yaml", in: dir)
        let child = try TrainkitProcess(["train", long], logs: dir, name: "long")
        let started = eventually {
            fm.fileExists(atPath: run.appendingPathComponent(RunContents.previousName).path)
                && fm.fileExists(atPath: run.appendingPathComponent("checkpoints/latest").path)
        }
        child.signal(SIGKILL)
        child.wait()
        #expect(started, "the long run never wrote a checkpoint: \(child.diagnostics)")

        let previous = try files(run.appendingPathComponent(RunContents.previousName))
        #expect(previous == before)
        #expect(!exists(run, "model/model.json"))

        let predict = trainkit(["predict", run.path, "--data", bundledWine])
        #expect(predict.status == 2)
        #expect(predict.diagnostics.contains("the model of the finished run before it is in \(run.path)/.trainkit-previous/model"))
        #expect(trainkit(["predict", run.appendingPathComponent(".trainkit-previous").path, "--data", bundledWine]).status == 0)

        let again = trainkit(["train", config])
        #expect(again.status == 2)
        #expect(again.diagnostics.contains("unfinished run"))
        #expect(again.diagnostics.contains(RunContents.previousName))
        let typo = trainkit(["train", config, "--overwrite", "--set", "data.target=qualty"])
        #expect(typo.status == 2)
        #expect(try files(run.appendingPathComponent(RunContents.previousName)) == before)

        let resumed = trainkit(["train", long, "--resume", run.path, "--set", "training.epochs=1"])
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        #expect(exists(run, "model/model.json"))
        #expect(!exists(run, RunContents.previousName))
    }

    /// D1: a process killed while moving the earlier run aside (files half in `.trainkit-previous.moving`) is
    /// undone by the next command, whatever that command then does.
    @Test func d1InterruptedMoveIsUndone() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let (run, config, before) = try finishedRun(in: dir)
        let moving = run.appendingPathComponent(RunContents.movingName)
        try fm.createDirectory(at: moving.appendingPathComponent("model"), withIntermediateDirectories: true)
        for path in ["metrics.jsonl", "model/weights.safetensors"] {
            try fm.moveItem(at: run.appendingPathComponent(path), to: moving.appendingPathComponent(path))
        }
        let typo = trainkit(["train", config, "--set", "data.target=qualty"])
        #expect(typo.status == 2)
        #expect(try files(run) == before)
        #expect(!exists(run, RunContents.movingName))
    }

    // MARK: - D2

    /// D2: `output: ""` is a config error naming the key; the current directory is not touched.
    @Test func d2EmptyOutputIsAConfigError() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let text = wineConfig(epochs: 1, output: dir).replacingOccurrences(of: "output: \(dir.path)", with: "output: \"\"")
        let config = try write(text, to: "config.yaml", in: dir)
        let before = try files(dir)
        let result = trainkit(["train", config])
        #expect(result.status == 2)
        #expect(result.diagnostics.contains("output: must not be empty"))
        #expect(result.diagnostics.contains("config.yaml:"))
        #expect(try files(dir) == before)
    }

    /// D2 / D14: an `output` that is a file, or cannot be created, is a config error naming `output` and the path.
    @Test func d2BadOutputPathsNameTheKeyAndThePath() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let file = try write("x\n", to: "f", in: dir)
        let config = try write(wineConfig(epochs: 1, output: dir.appendingPathComponent("run")), to: "wine.yaml", in: dir)
        let onFile = trainkit(["train", config, "--set", "output=\(file)"])
        #expect(onFile.status == 2)
        #expect(onFile.diagnostics.contains("output: \(file) is a file, not a directory"))
        let under = trainkit(["train", config, "--set", "output=\(file)/run"])
        #expect(under.status == 2)
        #expect(under.diagnostics.contains("output: "))
        #expect(under.diagnostics.contains("\(file)/run"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x\n")
    }

    // MARK: - D3

    /// D3: while a process holds the directory, a second writer exits 2 naming the holder and changes nothing.
    @Test func d3SecondWriterIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let (run, config, before) = try finishedRun(in: dir)
        let held = try RunLock(directory: run, command: "train")
        let refused = trainkit(["train", config])
        #expect(refused.status == 2)
        #expect(refused.diagnostics.contains("in use by another trainkit process (pid \(getpid()), train, started"))
        #expect(trainkit(["train", config, "--resume", run.path]).status == 2)
        #expect(try files(run) == before)
        held.release()
        #expect(trainkit(["train", config]).status == 0)
    }

    /// D3: two `train` processes started together into one new directory: one trains, the other exits 2.
    @Test func d3ConcurrentProcessesDoNotMix() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = try write(wineConfig(epochs: 15, output: run), to: "wine.yaml", in: dir)
        let a = try TrainkitProcess(["train", config], logs: dir, name: "a")
        let b = try TrainkitProcess(["train", config, "--set", "model.hidden=[8]"], logs: dir, name: "b")
        let statuses = [a.wait(), b.wait()]
        #expect(statuses.sorted() == [0, 2], "\(statuses): \(a.diagnostics) \(b.diagnostics)")
        let loser = statuses[0] == 2 ? a : b
        #expect(loser.diagnostics.contains("is in use by another trainkit process (pid"))
        let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 15)
        let saved = try RunConfig.decode(try ConfigNode.load(file: run.appendingPathComponent("config.yaml").path),
                                         baseDirectory: "/")
        let model = try jsonObject(String(contentsOf: run.appendingPathComponent("model/model.json"), encoding: .utf8))
        let hidden = (model["spec"] as? [String: Any])?["hidden"] as? [Int]
        #expect(hidden == saved.model.hidden)
    }

    // MARK: - D17

    /// D17: temporaries left by killed writes are removed by the next run, fresh or resumed.
    @Test func d17LitterIsCleanedOnTheNextRun() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let (run, config, _) = try finishedRun(in: dir)
        for arguments in [["train", config], ["train", config, "--resume", run.path, "--set", "training.epochs=3"]] {
            try write("half", to: ".metrics.json.tmp-1-2", in: run)
            try write("half", to: "model/.model.json.tmp-1-3", in: run)
            try fm.createDirectory(at: run.appendingPathComponent("checkpoints/.step-000000099.tmp-4"),
                                   withIntermediateDirectories: true)
            try write("half", to: "checkpoints/.step-000000099.tmp-4/model.safetensors", in: run)
            let result = trainkit(arguments)
            #expect(result.status == 0, "\(result.diagnostics)")
            #expect(try files(run).keys.allSatisfy { !$0.contains(".tmp-") }, "\(arguments)")
            #expect(!exists(run, "checkpoints/.step-000000099.tmp-4"))
        }
    }

    /// D17: `--resume` on a run killed before its first complete checkpoint starts it from the beginning.
    @Test func d17ResumeBeforeTheFirstCheckpointStartsOver() throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let (run, config, _) = try finishedRun(in: dir)
        for path in ["model", "best", "checkpoints", "metrics.json", "report.md", "report.html"] {
            try fm.removeItem(at: run.appendingPathComponent(path))
        }
        let resumed = trainkit(["train", config, "--resume", run.path])
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        #expect(resumed.diagnostics.contains("no complete checkpoint yet; starting the run from the beginning"))
        #expect(exists(run, "model/model.json"))
    }

    /// D17: SIGTERM (and SIGINT) stop after the current step with a checkpoint and a message (exit 143 / 130);
    /// the resumed run ends with the weights of an uninterrupted one, bit for bit.
    @Test(arguments: [SIGTERM, SIGINT])
    func d17SignalsStopWithACheckpoint(signal: Int32) throws {
        let dir = try temporaryDirectory()
        defer { try? fm.removeItem(at: dir) }
        let text = { (run: URL) in
            wineConfig(epochs: 8, output: run).replacingOccurrences(
                of: "  progress: silent", with: "  progress: silent\n  checkpoint: {every_steps: 2}")
        }
        let interrupted = dir.appendingPathComponent("interrupted")
        let config = try write(text(interrupted), to: "wine.yaml", in: dir)
        let child = try TrainkitProcess(["train", config], logs: dir, name: "child")
        let checkpointed = eventually { fm.fileExists(atPath: interrupted.appendingPathComponent("checkpoints/latest").path) }
        child.signal(signal)
        let status = child.wait()
        #expect(checkpointed, "\(child.diagnostics)")
        #expect(status == 128 + signal, "\(status): \(child.diagnostics)")
        let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
        #expect(child.diagnostics.contains("interrupted by \(name) at epoch"))
        #expect(child.diagnostics.contains("--resume \(interrupted.path)"))
        #expect(!exists(interrupted, "model/model.json"))

        let resumed = trainkit(["train", config, "--resume", interrupted.path])
        #expect(resumed.status == 0, "\(resumed.diagnostics)")
        let straight = dir.appendingPathComponent("straight")
        let straightConfig = try write(text(straight), to: "straight.yaml", in: dir)
        #expect(trainkit(["train", straightConfig]).status == 0)
        let a = try Data(contentsOf: interrupted.appendingPathComponent("model/weights.safetensors"))
        let b = try Data(contentsOf: straight.appendingPathComponent("model/weights.safetensors"))
        #expect(a == b)
    }
}
