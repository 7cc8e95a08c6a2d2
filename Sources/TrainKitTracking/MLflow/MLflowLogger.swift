import Foundation
import TrainKit

/// Logs a run to an MLflow tracking server as it trains: the run is created when training starts (with `params`
/// and `tags`), each epoch's logs are logged as metrics at step `epoch + 1` (the `epoch` of metrics.jsonl), and
/// ``finish(status:finalMetrics:artifacts:)`` logs the final metrics, uploads the run directory and ends the run.
///
/// A server that is unreachable or refuses a call is reported once through the shared ``TrackingWarning``; after
/// that the logger (and every logger sharing the warning) makes no more calls and training goes on.
///
/// ```swift
/// let mlflow = try MLflowLogger(client: MLflowClient(trackingURI: "http://127.0.0.1:5000"), experiment: "wine",
///                               runName: "wine", params: ["training.optimizer.lr": "0.001"])
/// let trainer = Trainer(model: model, loss: .mse, optimizer: Adam(lr: 1e-3), callbacks: [mlflow])
/// try trainer.fit(train, epochs: 10)
/// mlflow.finish(status: .finished, artifacts: URL(fileURLWithPath: "runs/wine"))
/// ```
public final class MLflowLogger: Callback, @unchecked Sendable {
    public let client: MLflowClient
    public let experiment: String
    public let runName: String
    public let params: [String: String]
    public let tags: [String: String]
    public let warning: TrackingWarning
    /// The run on the server, once created.
    public private(set) var run: MLflowRunInfo?
    /// Metric keys logged under a prefix at ``finish(status:finalMetrics:artifacts:)`` (`final/test_accuracy`).
    public static let finalPrefix = "final/"

    public init(client: MLflowClient, experiment: String, runName: String, params: [String: String] = [:],
                tags: [String: String] = [:], warning: TrackingWarning = TrackingWarning()) {
        self.client = client
        self.experiment = experiment
        self.runName = runName
        self.params = params
        self.tags = tags
        self.warning = warning
    }

    /// Creates the run on the server (once); the callback calls it when training starts.
    @discardableResult
    public func start() -> MLflowRunInfo? {
        if let run { return run }
        attempt {
            let experimentID = try client.experimentID(named: experiment)
            let created = try client.createRun(experimentID: experimentID, name: runName,
                                               tags: tags.merging(["mlflow.runName": runName]) { a, _ in a })
            run = created
            try client.logBatch(runID: created.runID, params: params)
        }
        return run
    }

    /// Creates the run; a resumed trainer's history (the epochs before the checkpoint) is logged first, so the run
    /// has every epoch.
    public override func fitStart(_ trainer: Trainer) throws {
        guard let run = start(), !trainer.history.epochs.isEmpty else { return }
        let now = Date()
        let metrics = trainer.history.epochs.enumerated().flatMap { epoch, logs in
            logs.keys.sorted().map { MLflowMetric(key: $0, value: logs[$0]!, step: epoch + 1, timestamp: now) }
        }
        attempt { try client.logBatch(runID: run.runID, metrics: metrics) }
    }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        guard let run = start() else { return }
        let now = Date()
        let metrics = logs.keys.sorted().map { MLflowMetric(key: $0, value: logs[$0]!, step: epoch + 1, timestamp: now) }
        attempt { try client.logBatch(runID: run.runID, metrics: metrics) }
    }

    /// Logs `finalMetrics` (under ``finalPrefix``, at step 0), uploads every file under `artifacts` (relative paths
    /// kept; names starting with `.` and paths in `skipping` left out) and ends the run with `status`.
    public func finish(status: MLflowRunStatus, finalMetrics: [String: Double] = [:], artifacts: URL? = nil,
                       skipping: Set<String> = []) {
        guard let run = start() else { return }
        attempt {
            let now = Date()
            let metrics = finalMetrics.keys.sorted().map {
                MLflowMetric(key: Self.finalPrefix + $0, value: finalMetrics[$0]!, step: 0, timestamp: now)
            }
            if !metrics.isEmpty { try client.logBatch(runID: run.runID, metrics: metrics) }
            if let artifacts {
                for path in Self.files(under: artifacts, skipping: skipping) {
                    try client.uploadArtifact(artifacts.appendingPathComponent(path), as: path, run: run)
                }
            }
        }
        // The run ends with its status even when an upload failed (a server that refused an artifact).
        do { try client.updateRun(runID: run.runID, status: status) } catch { warning.report(message(error)) }
    }

    /// Every regular file under `directory`, as sorted `/`-separated relative paths, without hidden names and
    /// without the paths (or folders) in `skipping`.
    static func files(under directory: URL, skipping: Set<String>) -> [String] {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(atPath: directory.path) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            let parts = path.split(separator: "/")
            if parts.contains(where: { $0.hasPrefix(".") }) || skipping.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
                continue
            }
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: directory.appendingPathComponent(path).path, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    private func attempt(_ body: () throws -> Void) {
        guard !warning.hasFailed else { return }
        do { try body() } catch { warning.report(message(error)) }
    }

    private func message(_ error: Error) -> String {
        "\(error); training goes on without MLflow (everything stays in the run directory)"
    }
}
