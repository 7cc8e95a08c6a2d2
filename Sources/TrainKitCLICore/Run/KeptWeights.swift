import Foundation
import TrainKit

/// Which epoch's weights a run keeps in `model/`, and why: the best epoch when early stopping fired and put
/// its weights back, else the last epoch trained. The reports state it in one sentence and mark the epoch on
/// the learning curves.
struct KeptWeights {
    /// The 1-based epoch whose weights are in `model/`.
    var epoch: Int
    /// The monitored metric and its best value, when the weights are the best epoch's.
    var best: (monitor: String, value: Double)?
    /// The 1-based epoch at which early stopping ended the run, if it did.
    var stoppedAt: Int?
    /// The epoch with the lowest validation loss, when it differs from `epoch` (its weights are in
    /// `best/model.safetensors`).
    var lowestValidationLoss: (epoch: Int, value: Double)?

    /// What `trainer` kept after training for `history`; nil when no epoch ran.
    static func after(_ trainer: Trainer, history: History) -> KeptWeights? {
        let stopping = trainer.callbacks.lazy.compactMap { $0 as? EarlyStopping }.first
        return after(history: history, stopping: stopping)
    }

    /// What a run with `history` and (maybe) early stopping kept; nil when no epoch ran.
    static func after(history: History, stopping: EarlyStopping?) -> KeptWeights? {
        guard !history.epochs.isEmpty else { return nil }
        var kept = KeptWeights(epoch: history.epochs.count)
        if let stopping, let stopped = stopping.stoppedEpoch {
            kept.stoppedAt = stopped + 1
            if stopping.restoreBestWeights, stopping.bestEpoch >= 0 {
                kept.epoch = stopping.bestEpoch + 1
                kept.best = (stopping.monitor, stopping.best)
            }
        }
        let losses = history.epochs.enumerated().compactMap { i, logs in logs["val_loss"].map { (i + 1, $0) } }
            .filter { $0.1.isFinite }
        if kept.best?.monitor != "val_loss", let lowest = losses.min(by: { $0.1 < $1.1 }), lowest.0 != kept.epoch {
            kept.lowestValidationLoss = lowest
        }
        return kept
    }

    /// "weights kept from epoch 12 (best val_loss 0.41); early stopping at epoch 17", or "weights kept from
    /// epoch 20, the last" with where the lowest validation loss is when that was another epoch.
    var sentence: String {
        var text: String
        if let best {
            text = "weights kept from epoch \(epoch) (best \(best.monitor) \(Self.number(best.value)))"
        } else {
            text = "weights kept from epoch \(epoch), the last"
        }
        if let stoppedAt {
            text += best == nil ? " (early stopping at epoch \(stoppedAt), without restoring the best weights)"
                : "; early stopping at epoch \(stoppedAt)"
        }
        if let lowest = lowestValidationLoss {
            text += "; the lowest val_loss, \(Self.number(lowest.value)) at epoch \(lowest.epoch), is in best/model.safetensors"
        }
        return text
    }

    /// The short label of the mark on the learning curves.
    var markerLabel: String { "kept: epoch \(epoch)" }

    /// Four significant digits: 0.41, 0.4127, 12.35.
    static func number(_ v: Double) -> String { String(format: "%.4g", v) }
}
