import Foundation
import TrainKit
import TrainKitTracking

/// The tracking of a `tune` study: an MLflow parent run for the study with one child run per trial (tag
/// `mlflow.parentRunId`), and under `RUN_DIR/tensorboard/` the hparams experiment plus one TensorBoard run per
/// trial (`trial-N/`, with the trial's values as its hparams session), so the HParams tab compares trials.
///
/// Trials may run in parallel: each gets its own callbacks, and one ``TrackingWarning`` serves them all.
final class TuneTracking: Sendable {
    let warning: TrackingWarning
    let parent: MLflowLogger?
    let tensorBoardRoot: URL?
    private let configFile: String
    private let io: CommandIO

    /// Starts the parent run and writes the hparams experiment (what the config asks for of both).
    init(base: RunConfig, space: SearchSpace, metric: String, studyName: String, runDirectory: URL, configFile: String,
         io: CommandIO) {
        self.io = io
        self.configFile = configFile
        warning = RunTracking.warning(io)
        var params = ConfigParams.flatten(base).filter { key, _ in !space.paths.contains(key) }
        for path in space.paths { params["tune.\(path)"] = String(describing: space[path]!) }
        params["tune.metric"] = metric
        parent = RunTracking.mlflow(base, runName: "tune \(studyName)", configFile: configFile, params: params,
                                    tags: ["trainkit.command": "tune"], warning: warning)
        parent?.start()
        tensorBoardRoot = base.training.tensorboard ? RunTracking.tensorBoardDirectory(runDirectory) : nil
        if let tensorBoardRoot {
            do {
                let writer = try EventFileWriter(directory: tensorBoardRoot)
                let examples = Dictionary(uniqueKeysWithValues: space.paths.map { ($0, Self.example(space[$0]!)) })
                try HParams.writeExperiment(to: writer, name: studyName, hyperparameters: examples,
                                            metrics: Array(Set([metric, "val_loss", "loss"])).sorted())
                try writer.close()
            } catch {
                io.progress("warning: TensorBoard: \(error); the study goes on without its hparams experiment")
            }
        }
    }

    /// The TensorBoard and MLflow callbacks of one trial (`config` is the trial's config).
    func callbacks(for trial: Trial, config: RunConfig) -> (callbacks: [Callback], mlflow: MLflowLogger?) {
        var callbacks: [Callback] = []
        let name = "trial-\(trial.number)"
        if let tensorBoardRoot, let logger = RunTracking.tensorBoard(
            config, directory: tensorBoardRoot.appendingPathComponent(name), hparams: RunTracking.hparams(trial.params),
            io: io) {
            callbacks.append(logger)
        }
        let child = parent?.run.flatMap { parentRun in
            RunTracking.mlflow(config, runName: name, configFile: configFile,
                               tags: ["mlflow.parentRunId": parentRun.runID, "trainkit.trial": "\(trial.number)"],
                               warning: warning)
        }
        if let child { callbacks.append(child) }
        return (callbacks, child)
    }

    /// Ends the parent run: the best value as `final/best_METRIC`, and the study's files (journal, best.yaml,
    /// event files) as artifacts.
    func finish(result: StudyResult?, runDirectory: URL) {
        guard let parent, parent.run != nil else { return }
        guard let result else { return parent.finish(status: .failed) }
        let best = result.best.map { ["best_\(result.metric)": $0.value] } ?? [:]
        parent.finish(status: result.best == nil ? .failed : .finished, finalMetrics: best, artifacts: runDirectory,
                      skipping: ["best-run"])
    }

    /// A value of `distribution`'s type, which types the hyperparameter in the hparams experiment.
    static func example(_ distribution: Distribution) -> HParamValue {
        switch distribution {
        case .choice(let values): values.first.map { RunTracking.hparams(["v": $0])["v"]! } ?? .string("")
        case .uniform(let low, _), .logUniform(let low, _): .number(low)
        case .int(let low, _, _, _): .number(Double(low))
        }
    }
}
