import Foundation

/// `tracking:` — an MLflow tracking server the run is logged to, besides its run directory (docs/interop.md).
public struct TrackingConfig: Equatable, Sendable {
    /// The tracking server's URL (`http://127.0.0.1:5000`); nil: no MLflow.
    public var mlflow: String?
    /// The MLflow experiment the runs go to (created when absent).
    public var experiment = "Default"

    public init() {}
}

extension RunConfig {
    /// The `tracking` keys and the TensorBoard keys of `training` (added to ``fields`` after the others).
    static let trackingFields: [ConfigField] = [
        ConfigField(path: "training.tensorboard", type: .boolean, defaultText: "false",
                    doc: "Write TensorBoard event files under `RUN_DIR/tensorboard/`: every value of metrics.jsonl as a scalar at step `epoch`, `samples_per_second`, and the config in the Text tab; a `tune` study writes one run per trial (`trial-N/`) with the hparams plugin's records, so the HParams tab compares trials; `cv` writes one run per fold (`cv-TIME/fold-K/`); a `linear` fit writes its one epoch ([docs/interop.md](interop.md#tensorboard)).",
                    write: { .bool($0.training.tensorboard) }),
        ConfigField(path: "training.tensorboard_histograms", type: .boolean, defaultText: "false",
                    doc: "With `tensorboard`: also a histogram of every parameter (`weights/NAME`) and of its gradient on the epoch's last batch (`gradients/NAME`) each epoch.",
                    write: { .bool($0.training.tensorboardHistograms) }),
        ConfigField(path: "tracking", type: .section, defaultText: "none",
                    doc: "An MLflow tracking server to log the run to (below).", write: { _ in nil }),
        ConfigField(path: "tracking.mlflow", type: .string, defaultText: "none",
                    doc: "The tracking server's URL (`http://127.0.0.1:5000`; artifacts need a server started with `--serve-artifacts`). A `train` run logs the flattened config as params, each epoch's metrics at step `epoch`, the final metrics as `final/NAME`, tags (`trainkit.version`, `mlflow.source.git.commit` when the config's folder is in a git repository) and the run directory as artifacts; `tune` logs a parent run and each trial as a child run. A server that cannot be reached or refuses a call gets one warning on standard error, and the run goes on ([docs/interop.md](interop.md#mlflow)).",
                    typeNote: "an http(s) URL",
                    write: { $0.tracking.mlflow.map { .string($0) } }),
        ConfigField(path: "tracking.experiment", type: .string, defaultText: "`Default`",
                    doc: "The MLflow experiment (created when the server has none of that name).",
                    write: { .string($0.tracking.experiment) }),
    ]

    /// `tracking:`; an absent section is no tracking.
    static func decodeTracking(_ s: ConfigSection?) throws -> TrackingConfig {
        var t = TrackingConfig()
        guard let s else { return t }
        try s.checkKeys()
        if let url = try s.string("mlflow") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                  parsed.host?.isEmpty == false else {
                throw s.invalid("mlflow", "expected the tracking server's http:// or https:// URL (e.g. http://127.0.0.1:5000), got '\(url)'")
            }
            t.mlflow = url
        }
        if let name = try s.string("experiment") {
            guard !name.allSatisfy(\.isWhitespace) else { throw s.invalid("experiment", "must not be empty") }
            t.experiment = name
        }
        return t
    }

    /// `training.tensorboard`, `training.tensorboard_histograms`.
    static func decodeTensorBoardKeys(_ s: ConfigSection, into t: inout TrainingConfig) throws {
        t.tensorboard = try s.bool("tensorboard") ?? t.tensorboard
        t.tensorboardHistograms = try s.bool("tensorboard_histograms") ?? t.tensorboardHistograms
        if t.tensorboardHistograms && !t.tensorboard {
            throw s.invalid("tensorboard_histograms", "needs tensorboard: true")
        }
    }
}
