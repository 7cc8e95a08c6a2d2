import ArgumentParser
import Foundation
import TrainKit
import TrainKitRegistry

/// `trainkit train CONFIG [--set key.path=value ...] [--data-dir DIR] [--resume RUN_DIR] [--json]`.
struct TrainCommand: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model from a YAML config and write a run directory.",
        discussion: """
            The run directory (`output` in the config) gets config.yaml (resolved), metrics.jsonl and \
            metrics.csv (per epoch), metrics.json (final), report.md, checkpoints/ and model/ \
            (weights.safetensors + model.json). Progress goes to standard error. A finished run already in \
            the directory is kept in .trainkit-previous/ until the new one completes; a failed run leaves the \
            directory as it was; files that no run wrote are never deleted. SIGINT or SIGTERM stops after the \
            current step with a checkpoint (exit 130 / 143); --resume continues it.
            """)

    @Argument(help: "The YAML config file.", completion: .file(extensions: ["yaml", "yml"]))
    var config: String

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("Continue the run in this directory from its last checkpoint.", valueName: "run-dir"),
            completion: .directory)
    var resume: String?

    @Flag(help: ArgumentHelp(
        "Start again over an unfinished run in the output directory, or write beside files that no run wrote.",
        discussion: "A finished run is replaced without it (kept until the new run completes). Files that no run wrote are never deleted."))
    var overwrite = false

    @Flag(help: "Print one JSON object (run directory and metrics) on standard output at the end.")
    var json = false

    @Option(name: .customLong("init-from"), help: ArgumentHelp(
        "Warm-start from this model: a run directory, a model directory, or a registered NAME@production / NAME@3.",
        discussion: "The config's model must have the source's architecture; the source's weights replace the fresh ones and its fitted preprocessing is kept (CSV tables) unless --refit-preprocessing. The run directory records the source in lineage.json (docs/registry.md, Retraining).",
        valueName: "source"))
    var initFrom: String?

    @Flag(help: "With --init-from: fit the preprocessing on the new data instead of keeping the source's.")
    var refitPreprocessing = false

    @Flag(help: ArgumentHelp(
        "With --init-from: also start from the source's optimizer state (moments, step counts); the config's optimizer must be the source's.",
        discussion: "The config's hyperparameters (learning rate, betas, weight decay) apply; the state comes from the source's model/optimizer.safetensors."))
    var initOptimizer = false

    @Option(help: ArgumentHelp(
        "Train data-parallel on N ranks started on this machine through mpirun (training.batch_size is per rank).",
        discussion: "Under mpirun -np N or srun, train needs no --nproc: the launcher's environment gives the ranks (docs/distributed.md).",
        valueName: "N"))
    var nproc: Int?

    func validate() throws {
        if resume != nil && overwrite { throw ValidationError("--resume and --overwrite contradict each other: choose one") }
        if let nproc, nproc < 1 { throw ValidationError("--nproc must be at least 1, got \(nproc)") }
        if refitPreprocessing && initFrom == nil { throw ValidationError("--refit-preprocessing needs --init-from") }
        if initOptimizer && initFrom == nil { throw ValidationError("--init-optimizer needs --init-from") }
    }

    func execute(_ io: CommandIO) throws {
        let launch = LaunchEnvironment()
        if let nproc, nproc > 1, !launch.isDistributed { return try DistributedLaunch.run(nproc: nproc) }
        if let nproc, launch.isDistributed, launch.worldSize != nproc {
            throw ValidationError("--nproc \(nproc), but the launcher started \(launch.worldSize) ranks: leave out --nproc under mpirun or srun")
        }
        let group = try ProcessGroups.fromEnvironment(launch)
        guard group.worldSize > 1 else { return try execute(io, group: nil) }
        // Rank 0 alone writes the run directory, logs and progress; every rank stops on any rank's error.
        let quiet = CommandIO(output: { _ in }, diagnostics: { _ in })
        do {
            try execute(group.rank == 0 ? io : quiet, group: group)
        } catch {
            io.diagnostics("trainkit: error (rank \(group.rank) of \(group.worldSize)): \(TrainKitCLI.describe(error))")
            group.abort(code: ExitStatus.forError(error).rawValue)
        }
        (group as? MPIProcessGroup)?.finalize()
    }

    private func execute(_ io: CommandIO, group: (any ProcessGroup)?) throws {
        var config = try RunConfig.load(file: config, overrides: try options.overrides(for: config))
        if let resume { config.output = RunConfig.resolve(resume, against: FileManager.default.currentDirectoryPath) }
        var run = TrainingRun(config: config, resume: resume != nil, io: io, overwrite: overwrite,
                              configFile: self.config)
        run.processGroup = group
        run.warmStart = try warmStart(resumeDirectory: resume.map { _ in URL(fileURLWithPath: config.output) })
        if let group, group.rank != 0 { run.persists = false }
        let result = try run.run()
        if json {
            let object = RunSummary(runDir: result.runDirectory.path,
                                    model: result.runDirectory.appendingPathComponent("model/model.json").path,
                                    task: result.artifact.preprocessing.task.rawValue, epochs: result.epochs,
                                    metrics: result.metrics)
            io.output(String(decoding: try JSONCoding.encode(object, pretty: false), as: UTF8.self))
        } else {
            io.output("run: \(result.runDirectory.path)")
            io.output(MetricsText.line(result.metrics, prefixes: ["test_", "val_"]))
        }
    }
}

extension TrainCommand {
    /// `--init-from`; on `--resume` without it, the source the run's lineage.json records (so a resumed warm start
    /// keeps the same preprocessing).
    func warmStart(resumeDirectory: URL?) throws -> WarmStart? {
        if let initFrom { return try WarmStart.open(initFrom, refit: refitPreprocessing, initOptimizer: initOptimizer) }
        guard let resumeDirectory, let lineage = try Lineage.read(runDirectory: resumeDirectory) else { return nil }
        var start = try WarmStart.open(lineage.model, refit: lineage.preprocessing == "refit",
                                       initOptimizer: lineage.optimizer == "kept")
        start.source = lineage.source
        start.registered = lineage.parent
        start.store = lineage.store
        return start
    }
}

/// The `--json` object of `train`.
struct RunSummary: Codable {
    var runDir: String
    var model: String
    /// `classification`, `regression` or `reconstruction`: the task the run trained (chosen or inferred).
    var task: String
    var epochs: Int
    var metrics: [String: Double]

    enum CodingKeys: String, CodingKey {
        case runDir = "run_dir", model, task, epochs, metrics
    }
}

/// Metrics as one readable line: `test_accuracy 0.6219  test_f1_macro 0.3400  ...`.
enum MetricsText {
    static func line(_ metrics: [String: Double], prefixes: [String]) -> String {
        let keys = metrics.keys.sorted().filter { key in prefixes.isEmpty || prefixes.contains { key.hasPrefix($0) } }
        return keys.map { String(format: "%@ %.4f", $0, metrics[$0]!) }.joined(separator: "  ")
    }
}
