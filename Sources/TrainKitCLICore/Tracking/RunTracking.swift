import Foundation
import TrainKit
import TrainKitTracking

/// The tracking a run config asks for, as callbacks of `TrainKitTracking`: TensorBoard event files under
/// `RUN_DIR/tensorboard/` (`training.tensorboard`) and an MLflow run (`tracking.mlflow`). Used by ``TrainingRun``
/// for `train` and by ``TuneRun`` for a study and its trials (docs/interop.md).
enum RunTracking {
    /// Where a run's event files go.
    static func tensorBoardDirectory(_ runDirectory: URL) -> URL { runDirectory.appendingPathComponent("tensorboard") }

    /// The TensorBoard callback (nil without `training.tensorboard`); a tune trial passes its `hparams`.
    static func tensorBoard(_ config: RunConfig, directory: URL, hparams: [String: HParamValue]? = nil,
                            io: CommandIO) -> TensorBoardLogger? {
        guard config.training.tensorboard else { return nil }
        let yaml = (try? config.yamlText()) ?? ""
        return TensorBoardLogger(directory: directory, histograms: config.training.tensorboardHistograms,
                                 texts: ["config": "```yaml\n\(yaml)```"], hparams: hparams,
                                 warn: { io.progress("warning: \($0)") })
    }

    /// The warning a run (or a study and its trials) reports its first MLflow failure with.
    static func warning(_ io: CommandIO) -> TrackingWarning { TrackingWarning(sink: { io.progress($0) }) }

    /// The MLflow logger of a run (nil without `tracking.mlflow`): `params` (default: the flattened config), and tags
    /// naming TrainKit's version, the config file and its git commit when known.
    static func mlflow(_ config: RunConfig, runName: String, configFile: String?, params: [String: String]? = nil,
                       tags extra: [String: String] = [:], warning: TrackingWarning) -> MLflowLogger? {
        guard let url = config.tracking.mlflow else { return nil }
        guard let client = try? MLflowClient(trackingURI: url) else {
            warning.report("tracking.mlflow: '\(url)' is not an http(s) URL; the run is not logged to MLflow")
            return nil
        }
        var tags = ["trainkit.version": TrainKitVersion.current, "trainkit.run_directory": config.output]
        if let configFile {
            let path = URL(fileURLWithPath: configFile).standardizedFileURL
            tags["mlflow.source.name"] = path.path
            tags["mlflow.source.type"] = "LOCAL"
            if let commit = GitCommit.head(of: path.deletingLastPathComponent().path) {
                tags["mlflow.source.git.commit"] = commit
            }
        }
        tags.merge(extra) { _, new in new }
        return MLflowLogger(client: client, experiment: config.tracking.experiment, runName: runName,
                            params: params ?? ConfigParams.flatten(config), tags: tags, warning: warning)
    }

    /// A tune trial's values as hparams: numbers, strings and booleans as they are, lists as text.
    static func hparams(_ params: [String: ParameterValue]) -> [String: HParamValue] {
        params.mapValues { value in
            switch value {
            case .int(let v): .number(Double(v))
            case .double(let v): .number(v)
            case .bool(let v): .bool(v)
            case .string(let v): .string(v)
            case .list: .string(value.description)
            }
        }
    }
}
