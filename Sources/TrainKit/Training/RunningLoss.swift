import TrainKitCore

/// The epoch's running loss, kept on the device between reads.
///
/// Each batch hands in its loss as a detached 0-d tensor and, on optimizer steps, one value per parameter that
/// is NaN where that parameter's gradient holds a NaN or an infinity (`Σ g·0`); nothing is read from the device
/// then. ``settle(stopsOnNonFinite:)`` reads everything pending in one device-to-host copy and walks it in batch
/// order: the first non-finite value stops with ``TrainingError/nonFinite(epoch:batch:what:value:)`` naming the
/// batch it came from, and each loss `ℓ_b` of a batch of `n_b` samples is added as `sum += ℓ_b · n_b` in
/// `Double`. That is the arithmetic, in the order, of reading every loss at its own batch, so the logged mean
/// `sum / Σ n_b` and the checkpointed sum are the same bits however often the trainer reads.
struct RunningLoss {
    /// `Σ ℓ_b · n_b` over the settled batches of the epoch.
    private(set) var sum = 0.0
    /// `Σ n_b` over the settled batches of the epoch.
    private(set) var count = 0
    private var pending: [Entry] = []

    private struct Entry {
        enum Kind {
            case loss(samples: Int)
            case gradients(names: [String])
        }
        var epoch: Int
        var batch: Int
        var kind: Kind
        /// 0-d for a loss, `[P]` for a gradient check.
        var values: Tensor
    }

    /// Starts an epoch (or continues one from a checkpoint's sum and count).
    mutating func reset(sum: Double = 0, count: Int = 0) {
        self.sum = sum
        self.count = count
        pending = []
    }

    /// The settled mean loss, `sum / count` (`0` before any sample).
    var mean: Double { sum / Double(Swift.max(count, 1)) }

    /// Records batch `batch`'s loss (a 0-d tensor of any float dtype) for a batch of `samples` samples.
    mutating func append(loss: Tensor, samples: Int, epoch: Int, batch: Int) {
        pending.append(Entry(epoch: epoch, batch: batch, kind: .loss(samples: samples), values: loss.detach()))
    }

    /// Records a finiteness check of `gradients` (named by `names`), taken before batch `batch`'s optimizer step.
    mutating func appendCheck(of gradients: [Tensor], names: [String], epoch: Int, batch: Int) {
        guard !gradients.isEmpty else { return }
        // g·0 is 0 for finite elements and NaN for NaN or ±∞: each sum is NaN exactly when g is not finite.
        let flags = noGrad { Tensor.stack(gradients.map { ($0.detach() * 0).sum().to(.float64) }) }
        pending.append(Entry(epoch: epoch, batch: batch, kind: .gradients(names: names), values: flags))
    }

    /// Reads the pending values (one copy from the device), checks them in batch order and adds the losses.
    ///
    /// - Throws: ``TrainingError/nonFinite(epoch:batch:what:value:)`` for the first non-finite loss or gradient
    ///   when `stopsOnNonFinite`; the pending values are dropped either way.
    mutating func settle(stopsOnNonFinite: Bool) throws {
        guard !pending.isEmpty else { return }
        let entries = pending
        pending = []
        let values = noGrad { Tensor.cat(entries.map { $0.values.to(.float64).reshape([-1]) }, dim: 0) }
            .toArray(as: Double.self)
        var offset = 0
        for entry in entries {
            switch entry.kind {
            case .loss(let samples):
                let value = values[offset]
                offset += 1
                if stopsOnNonFinite && !value.isFinite {
                    throw TrainingError.nonFinite(epoch: entry.epoch, batch: entry.batch, what: "loss", value: value)
                }
                sum += value * Double(samples)
                count += samples
            case .gradients(let names):
                if let i = names.indices.first(where: { !values[offset + $0].isFinite }) {
                    throw TrainingError.nonFinite(epoch: entry.epoch, batch: entry.batch,
                                                  what: "gradient of \(names[i])", value: values[offset + i])
                }
                offset += names.count
            }
        }
    }
}
