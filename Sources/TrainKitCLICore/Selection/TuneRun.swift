import Foundation
import TrainKit

/// One `trainkit tune`: a ``Study`` over the search space a config declares, each trial a `train` run of the
/// config with the trial's values, ranked by a validation metric; the best trial written out as a config.
///
/// ```
/// RUN_DIR/study.jsonl   the study journal: every trial's start, per-epoch value and finish (append-only,
///                       fsync'ed, locked: a rerun of the same command continues the study)
/// RUN_DIR/best.yaml     the config of the best trial, ready for `trainkit train`
/// RUN_DIR/tensorboard/  with `training.tensorboard`: the hparams experiment, and trial-N/ per trial
/// ```
///
/// With `tracking.mlflow` the study is an MLflow run and each trial a child run of it (``TuneTracking``).
///
/// **Several workers** (``workers``): with `--storage` (a PostgreSQL server or SQLite file every worker reaches)
/// or under `mpirun` / `--nproc`, any number of processes run this same command on one study. Each claims the
/// next trial in a transaction of the store (the run directory's journal when there is no `--storage`), so no
/// two run one trial; each beats a heartbeat, and a trial whose worker falls silent is retried (``maxRetries``)
/// or marked failed. Every worker stays until every trial has finished; the first one to find the study finished
/// claims its summary (``Study/claimSummary()``) and writes `best.yaml` and prints the table; the others print
/// who did. A worker whose config or options differ from the study's is refused
/// (``StudyStoreError/configMismatch(study:store:stored:given:)``; ``StudyIdentity``).
///
/// Trials keep nothing else on disk. Every trial trains with the config's `seed` (the same data split and,
/// for equal values, the same initial weights), so the values are the only difference between trials, and
/// training `best.yaml` reproduces the best trial. The test part is never scored during the study.
struct TuneRun {
    let tunable: TunableConfig
    /// The study's budget: trials in the study when it ends, those of earlier runs included.
    var trials: Int
    var sampler: SamplerKind = .tpe
    var pruner: PrunerKind = .none
    var parallel = 1
    /// `--storage`: the shared study store (`postgres://…` or `sqlite:PATH`); nil: the run directory's journal.
    var storage: String? = nil
    /// `--study`: the study's name in the store (default: the config file's name).
    var studyName: String? = nil
    /// Seconds a worker may go without a heartbeat before its trials are taken back.
    var heartbeatTimeout: Double = 60
    /// Times an interrupted trial is retried before it is marked failed.
    var maxRetries = 2
    /// The MPI rank and world size when an MPI launcher started this process (every rank is a worker).
    var launch = LaunchEnvironment(rank: 0, worldSize: 1, source: nil)
    /// Trials run at once, at most: each is a thread training its own model, so more only adds threads that wait.
    static let maxParallel = 256
    /// The validation metric that ranks trials (default: `val_accuracy` or `val_rmse`).
    var metric: String?
    /// Grid values per continuous dimension (`--sampler grid`).
    var gridPoints = 3
    /// Trials drawn at random by TPE and never pruned, before the search uses what it learned (nil: a quarter
    /// of the budget, 1 to 10).
    var startupTrials: Int?
    let io: CommandIO

    struct Result {
        var study: StudyResult
        var runDirectory: URL
        /// The journal file, or the shared store's location.
        var journal: String
        /// `best.yaml`, when a trial completed and this worker wrote the summary.
        var bestConfig: URL?
        var seconds: Double
        /// With several workers: the worker that wrote the summary, when it is another one (nil: this one).
        var summaryWriter: TrialOwner? = nil
    }

    /// Whether other processes may work on the study: a shared store, or MPI ranks.
    var hasWorkers: Bool { storage != nil || launch.isDistributed }

    /// The study's config hash (``StudyIdentity``): the config and the options that change the trials.
    func configHash(metric: String) -> String {
        StudyIdentity.hash(tunable: tunable, options: [
            "trials": "\(trials)", "sampler": sampler.rawValue, "prune": pruner.rawValue, "metric": metric,
            "grid_points": "\(gridPoints)", "startup_trials": startupTrials.map { "\($0)" } ?? "default",
        ])
    }

    func run() throws -> Result {
        let started = Date()
        guard !tunable.space.isEmpty else {
            throw ConfigError.usage(
                """
                \(tunable.file): nothing to tune; write a search spec in place of a value, e.g. \
                `training.optimizer.lr: {tune: loguniform, low: 1e-4, high: 1e-1}` (docs/config.md, "Search spaces")
                """)
        }
        guard trials >= 1 else { throw ConfigError.usage("--trials must be >= 1, got \(trials)") }
        guard parallel >= 1 else { throw ConfigError.usage("--parallel must be >= 1, got \(parallel)") }
        if let startupTrials, startupTrials < 0 {
            throw ConfigError.usage("--startup-trials must be >= 0, got \(startupTrials)")
        }
        let base = try tunable.check()
        let runDirectory = URL(fileURLWithPath: base.output)
        let cache = PreparedDataCache()
        io.progress("reading \(base.data.format.rawValue) data from \(base.data.train)")
        let data = try cache.data(for: base)
        for warning in data.warnings { io.progress("warning: \(warning)") }
        if let note = data.taskNote { io.progress(note) }
        guard let validation = data.validation, validation.count > 0 else {
            throw ConfigError.invalidValue(
                path: "data.validation_split", reason: "tune ranks trials by validation scores: set it > 0",
                location: nil)
        }
        let task = data.preprocessing.task
        let metric = try checkedMetric(task: task, kind: base.model.kind)
        io.progress("\(task.rawValue): \(data.summary); searching \(tunable.space.paths.joined(separator: ", "))")

        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        let journal = runDirectory.appendingPathComponent("study.jsonl")
        let startup = startupTrials ?? Swift.max(1, Swift.min(10, trials / 4))
        let maxEpochs = tunable.space["training.epochs"] == nil ? base.training.epochs : nil
        let proposer: any Sampler =
            switch sampler {
            case .grid: GridSampler(pointsPerDimension: gridPoints)
            case .random: RandomSampler(seed: base.seed)
            case .tpe: TPESampler(seed: base.seed, startupTrials: Swift.max(1, startup))
            }
        let study: Study
        let name = studyName ?? URL(fileURLWithPath: tunable.file).deletingPathExtension().lastPathComponent
        do {
            let shared = try storage.map {
                try SharedStudyStorage(location: $0, study: name, configHash: configHash(metric: metric))
            }
            study = try Study(
                name: name, space: tunable.space, metric: metric, sampler: proposer,
                pruner: pruner.make(maxEpochs: maxEpochs).map { StartupPruner(base: $0, startupTrials: startup) },
                seed: base.seed, journal: shared == nil ? journal : nil, storage: shared)
        } catch SelectionError.journal(let message)
            where storage == nil && FileManager.default.fileExists(atPath: journal.path)
        {
            // Another study's journal: a usage problem, solved by another run directory.
            throw ConfigError.usage(
                "\(message.replacingOccurrences(of: "; use another journal file", with: "")); "
                    + "start a new study in another directory (--set output=DIR)")
        }
        study.heartbeatTimeout = heartbeatTimeout
        study.maxRetries = maxRetries
        study.waitsForOtherWorkers = hasWorkers
        let storeName = study.storageLocation ?? journal.path
        for problem in study.problems { io.progress("warning: \(problem)") }
        let kept = study.trials.count { $0.isFinished && !$0.interrupted }
        if kept > 0 { io.progress("continuing \(storeName): \(kept) finished trials kept") }
        if hasWorkers {
            let rank = launch.isDistributed ? "rank \(launch.rank) of \(launch.worldSize), " : ""
            io.progress(
                "worker \(study.worker.host) pid \(study.worker.pid) (\(rank)heartbeat timeout \(heartbeatTimeout) s) "
                    + "on \(storeName)")
        }

        let tunable = self.tunable
        let io = self.io
        let budget = trials
        let workers = Swift.min(parallel, Swift.max(budget - kept, 1), Self.maxParallel)
        if workers < parallel {
            let why = workers == Self.maxParallel ? "the most tune runs at once" : "the trials left in the study"
            io.progress("--parallel \(parallel): running \(workers) trials at once (\(why))")
        }
        let quiet = CommandIO(output: { _ in }, diagnostics: { _ in })
        let tracking = TuneTracking(base: base, space: tunable.space, metric: metric, studyName: study.name,
                                    runDirectory: runDirectory, configFile: tunable.file, io: io)
        do {
            try study.optimize(trials: budget, parallel: workers) { trial in
                TuneTestHook.killIfDue(finished: study.trials.count { $0.isFinished && !$0.interrupted })
                let params = Self.describe(trial.params)
                do {
                    var config = try tunable.config(trial.params)
                    config.training.progress = "silent"
                    let tracked = tracking.callbacks(for: trial, config: config)
                    let run = TrainingRun(
                        config: config, resume: false, io: quiet, data: try cache.data(for: config),
                        extraCallbacks: [trial.reporter(monitor: metric)] + tracked.callbacks, persists: false,
                        evaluatesTest: false)
                    let metrics: [String: Double]
                    do {
                        metrics = try run.run().metrics
                        tracked.mlflow?.finish(status: .finished, finalMetrics: metrics)
                    } catch {
                        if tracked.mlflow?.run != nil { tracked.mlflow?.finish(status: .failed) }
                        throw error
                    }
                    let epochs = Int(metrics["epochs"] ?? 0)
                    let outcome =
                        trial.isPruned
                        ? "pruned after \(epochs) epochs (\(metric) \(Self.format(trial.lastReported?.value)))"
                        : "\(metric) \(Self.format(metrics[metric])) after \(epochs) epochs"
                    io.progress("trial \(trial.number): \(params) -> \(outcome)")
                    return metrics
                } catch {
                    io.progress("trial \(trial.number) failed: \(params): \(TrainKitCLI.describe(error))")
                    throw error
                }
            }
        } catch {
            tracking.finish(result: nil, runDirectory: runDirectory)
            throw error
        }
        let result = study.result()
        if hasWorkers, !(try study.claimSummary()) {
            // Another worker writes best.yaml and the reports; this one only says who.
            tracking.finish(result: result, runDirectory: runDirectory)
            let writer = study.summaryWriter
            io.progress(
                "study finished; its summary is written by "
                    + (writer.map { "\($0.host) pid \($0.pid)" } ?? "another worker"))
            return Result(
                study: result, runDirectory: runDirectory, journal: storeName, bestConfig: nil,
                seconds: Date().timeIntervalSince(started), summaryWriter: writer ?? study.worker)
        }
        guard result.best != nil else {
            tracking.finish(result: result, runDirectory: runDirectory)
            let counts = ["complete", "pruned", "failed"].map { "\(result.counts[$0] ?? 0) \($0)" }
            let failure = result.trials.first { $0.state == .failed && !$0.interrupted }?.error
            throw TrainingFailure(
                "no trial of the study completed (\(counts.joined(separator: ", ")))"
                    + (failure.map { "; the first failure: \($0)" } ?? ""))
        }
        var bestConfig: URL? = nil
        if let best = result.best {
            let url = runDirectory.appendingPathComponent("best.yaml")
            let header = """
                # The best trial (\(best.trial)) of `trainkit tune \(tunable.file)`: \(metric) \(Self.format(best.value)).
                # Train it: trainkit train \(url.path)

                """
            let text =
                header + (try tunable.yaml(best.params, output: runDirectory.appendingPathComponent("best-run").path))
            try AtomicFile.write(Data(text.utf8), to: url)
            bestConfig = url
        }
        tracking.finish(result: result, runDirectory: runDirectory)
        return Result(
            study: result, runDirectory: runDirectory, journal: storeName, bestConfig: bestConfig,
            seconds: Date().timeIntervalSince(started))
    }

    /// `--metric`, or the default for the task; it must be logged each epoch (the pruner compares it).
    private func checkedMetric(task: TaskKind, kind: ModelKind) throws -> String {
        let logged = kind.isUnsupervised ? UnsupervisedMetrics.names(kind).map { "val_" + $0 }
            : ["val_loss"] + Evaluation.metricKinds(task, kind: kind).map { "val_" + $0.makeMetric().name }
        let chosen = metric ?? (kind.isUnsupervised ? "val_" + UnsupervisedMetrics.names(kind)[0]
                                                    : task == .classification ? "val_accuracy" : "val_rmse")
        guard logged.contains(chosen) else {
            throw ConfigError.usage(
                "--metric \(chosen): expected a validation metric of this \(task.rawValue) run: \(logged.joined(separator: ", "))"
            )
        }
        return chosen
    }

    /// `training.optimizer.lr=0.003 model.hidden=[128, 64]`.
    static func describe(_ params: [String: ParameterValue]) -> String {
        params.keys.sorted().map { path -> String in
            if case .double(let v) = params[path]! { return "\(path)=\(String(format: "%.4g", v))" }
            return "\(path)=\(params[path]!)"
        }.joined(separator: " ")
    }

    static func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
}
