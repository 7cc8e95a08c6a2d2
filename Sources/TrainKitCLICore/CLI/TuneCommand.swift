import ArgumentParser
import Foundation
import TrainKit

/// `trainkit tune CONFIG --trials N [--sampler grid|random|tpe] [--prune asha] [--parallel N] [--storage URL]
/// [--study NAME] [--nproc N] [--set ...] [--data-dir DIR] [--json]`.
struct TuneCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search the hyperparameters a config marks with {tune: ...} and write the best config.",
        discussion: """
            Each trial trains the config with sampled values and is ranked by a validation metric; the test \
            part is never scored. The study journal (`output`/study.jsonl) records every trial as it runs: \
            rerunning the same command after a crash continues the study with its finished trials kept. \
            The best trial is written to `output`/best.yaml, ready for `trainkit train`. \
            Several processes (on several machines with --storage, or MPI ranks) can work on one study: \
            docs/distributed.md. Search spaces: docs/config.md.
            """)

    @Argument(
        help: "The YAML config file, with {tune: ...} specs in place of the values to search.",
        completion: .file(extensions: ["yaml", "yml"]))
    var config: String

    // Numbers are read even when they start with a dash (`--trials -3`), so that TuneRun's check explains them.
    @Option(parsing: .unconditional, help: "Trials in the study when it ends, counting those an earlier run of it finished.")
    var trials: Int

    @Option(help: "How trials draw their values.")
    var sampler: SamplerKind = .tpe

    @Option(help: ArgumentHelp("Stop weak trials early.", valueName: "pruner"))
    var prune: PrunerKind = .none

    @Option(parsing: .unconditional, help: "Trials run at once (at most the trials left, and 256).")
    var parallel = 1

    @Option(help: "The validation metric that ranks trials (default: val_accuracy, or val_rmse for regression; kmeans val_silhouette, gmm val_bic, pca val_explained_variance_ratio).",
            completion: .list(["val_loss", "val_accuracy", "val_f1_macro", "val_rmse", "val_mae", "val_r2"]))
    var metric: String?

    @Option(parsing: .unconditional, help: "Grid values per continuous dimension (--sampler grid).")
    var gridPoints = 3

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Trials that tpe draws at random and asha never stops, before the search uses what it learned (default: a quarter of --trials, 1 to 10).",
            valueName: "n"))
    var startupTrials: Int?

    @Option(help: ArgumentHelp(
        "Keep the study in a database that workers on other machines join: postgres://USER@HOST:PORT/DB or sqlite:PATH.",
        discussion: "Every process run with the same config, options and --storage works on the same study (docs/distributed.md).",
        valueName: "url"))
    var storage: String?

    @Option(help: ArgumentHelp("The study's name in --storage (default: the config file's name).", valueName: "name"))
    var study: String?

    @Option(help: ArgumentHelp(
        "Run N worker processes on this machine through mpirun, sharing the study (under mpirun -np N, leave it out).",
        valueName: "N"))
    var nproc: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "With several workers: seconds without a heartbeat after which a worker's trial is taken back.", valueName: "s"))
    var heartbeatTimeout: Double = 60

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Retries of a trial whose process stopped while it ran (a crash, a lost worker), before it is marked failed.", valueName: "n"))
    var maxRetries = 2

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print one JSON object (best trial, every trial, best.yaml's path) on standard output.")
    var json = false

    func validate() throws {
        guard trials >= 1 else { throw ValidationError("--trials must be >= 1, got \(trials)") }
        guard parallel >= 1 else { throw ValidationError("--parallel must be >= 1, got \(parallel)") }
        guard gridPoints >= 1 else { throw ValidationError("--grid-points must be >= 1, got \(gridPoints)") }
        if let startupTrials, startupTrials < 0 {
            throw ValidationError("--startup-trials must be >= 0, got \(startupTrials)")
        }
        if let nproc, nproc < 1 { throw ValidationError("--nproc must be at least 1, got \(nproc)") }
        guard heartbeatTimeout > 0 else {
            throw ValidationError("--heartbeat-timeout must be > 0, got \(heartbeatTimeout)")
        }
        guard maxRetries >= 0 else { throw ValidationError("--max-retries must be >= 0, got \(maxRetries)") }
        if study != nil && storage == nil {
            throw ValidationError("--study names a study in --storage: give --storage too")
        }
    }

    func execute(_ io: CommandIO) throws {
        let launch = LaunchEnvironment()
        if let nproc, nproc > 1, !launch.isDistributed { return try DistributedLaunch.run(nproc: nproc) }
        if let nproc, launch.isDistributed, launch.worldSize != nproc {
            throw ValidationError("--nproc \(nproc), but the launcher started \(launch.worldSize) ranks: leave out --nproc under mpirun or srun")
        }
        let tunable = try TunableConfig(file: config, overrides: try options.overrides(for: config))
        var run = TuneRun(
            tunable: tunable, trials: trials, sampler: sampler, pruner: prune,
            parallel: parallel, metric: metric, gridPoints: gridPoints, startupTrials: startupTrials,
            io: io)
        run.storage = storage
        run.studyName = study
        run.heartbeatTimeout = heartbeatTimeout
        run.maxRetries = maxRetries
        run.launch = launch
        let result = try run.run()
        if result.summaryWriter != nil { return }  // another worker prints the study
        if json {
            let summary = TuneSummary(
                result: result.study, bestConfig: result.bestConfig?.path,
                journal: result.journal, seconds: result.seconds)
            io.output(String(decoding: try summary.jsonData(), as: UTF8.self))
        } else {
            io.output(Self.table(result))
        }
    }

    /// The trials, the best one and where best.yaml is.
    static func table(_ result: TuneRun.Result) -> String {
        let study = result.study
        var lines = ["trial  state     \(study.metric)  epochs  params"]
        for t in study.trials {
            let value = TuneRun.format(t.value).padding(toLength: study.metric.count, withPad: " ", startingAt: 0)
            let epochs = t.metrics["epochs"].map { String(Int($0)) } ?? String(t.epochsReported)
            lines.append(
                String(t.number).padding(toLength: 5, withPad: " ", startingAt: 0) + "  "
                    + (t.interrupted ? "interrupted" : t.state.rawValue).padding(
                        toLength: 8, withPad: " ", startingAt: 0)
                    + "  " + value + "  " + epochs.padding(toLength: 6, withPad: " ", startingAt: 0) + "  "
                    + TuneRun.describe(t.params))
        }
        let counts = ["complete", "pruned", "failed"].map { "\(study.counts[$0] ?? 0) \($0)" }.joined(separator: ", ")
        lines.append(
            "study: \(result.journal) (\(study.trials.count) trials: \(counts)), \(String(format: "%.1f", result.seconds)) s"
        )
        if let best = study.best, let url = result.bestConfig {
            lines.append(
                "best: trial \(best.trial), \(study.metric) \(TuneRun.format(best.value)): \(TuneRun.describe(best.params))"
            )
            lines.append("best config: \(url.path)")
        } else {
            lines.append("best: none (no trial completed)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The `--json` object of `tune`: ``StudyResult``'s keys (`best` with `params` and `metrics`, `trials`,
/// `metric`, `direction`, `counts`) plus `best_config`, `journal` and `seconds`.
struct TuneSummary: Encodable {
    var result: StudyResult
    var bestConfig: String?
    var journal: String
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case bestConfig = "best_config"
        case journal, seconds
    }

    func encode(to encoder: Encoder) throws {
        try result.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(bestConfig, forKey: .bestConfig)
        try c.encode(journal, forKey: .journal)
        try c.encode(seconds, forKey: .seconds)
    }

    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
