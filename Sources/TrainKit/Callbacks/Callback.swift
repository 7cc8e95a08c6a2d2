import Foundation
import TrainKitCore

/// A hook into ``Trainer/fit(_:validation:epochs:batchSize:validationSplit:shuffle:resumeFrom:)``.
///
/// Override the events you need; every default does nothing. A callback stops training by setting
/// `trainer.stopTraining = true`; throwing from a hook stops it with that error. Callbacks that carry state
/// across epochs (early stopping's best value, a schedule's step) save it with checkpoints through
/// ``checkpointState()`` / ``restore(_:)`` under their ``stateKey``.
///
/// ```swift
/// callbacks: [.earlyStopping(patience: 3), .checkpoint(to: "runs/mnist")]
/// ```
open class Callback {
    public init() {}

    /// A stable key for this callback's state in checkpoints (nil: no state).
    open var stateKey: String? { nil }

    open func fitStart(_ trainer: Trainer) throws {}
    open func fitEnd(_ trainer: Trainer) throws {}
    open func epochStart(_ trainer: Trainer, epoch: Int) throws {}
    /// After the epoch's training and validation; `logs` holds the epoch's metrics (already in the history).
    open func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {}
    open func batchStart(_ trainer: Trainer, epoch: Int, batch: Int) throws {}
    /// After batch `batch`; `stepped` is true when the optimizer stepped after this batch (with gradient
    /// accumulation it steps every few batches). `logs` has the running `loss` of the epoch on the batches where
    /// the trainer reads it from the device (every ``Trainer/logInterval`` batches and the epoch's last batch)
    /// and is empty on the others; ``Trainer/runningLoss()`` reads it at any other batch.
    open func batchEnd(_ trainer: Trainer, epoch: Int, batch: Int, logs: [String: Double], stepped: Bool) throws {}

    /// State to save with a checkpoint.
    open func checkpointState() -> CallbackState? { nil }
    /// Restores state saved by ``checkpointState()``.
    open func restore(_ state: CallbackState) throws {}
}

/// A callback's saved state: numbers, an optional JSON payload and optional tensors.
public struct CallbackState: Codable, Sendable {
    public var values: [String: Double]
    public var json: String?
    /// Tensors are stored in the checkpoint's `callbacks.safetensors` (not in this Codable value).
    public var tensors: [String: Tensor]

    public init(values: [String: Double] = [:], json: String? = nil, tensors: [String: Tensor] = [:]) {
        self.values = values
        self.json = json
        self.tensors = tensors
    }

    enum CodingKeys: String, CodingKey { case values, json }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        values = try c.decode([String: Double].self, forKey: .values)
        json = try c.decodeIfPresent(String.self, forKey: .json)
        tensors = [:]
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(values, forKey: .values)
        try c.encodeIfPresent(json, forKey: .json)
    }
}

/// Whether a monitored metric improves when it goes down (`loss`) or up (`accuracy`).
public enum MonitorMode: String, Sendable, Codable {
    case min, max, auto

    func resolved(for monitor: String) -> MonitorMode {
        guard self == .auto else { return self }
        let higherIsBetter = ["acc", "accuracy", "f1", "auc", "r2", "precision", "recall",
                              "silhouette", "adjusted_rand", "mutual_info", "log_likelihood", "explained_variance"]
        return higherIsBetter.contains(where: { monitor.contains($0) }) ? .max : .min
    }

    func isImprovement(_ value: Double, over best: Double, minDelta: Double) -> Bool {
        self == .max ? value > best + minDelta : value < best - minDelta
    }
}
