import TrainKitCore
import TrainKitData
import TrainKitDistributed
import TrainKitNN
import TrainKitOptim

/// One `fit`'s data-parallel state (``Trainer/processGroup`` with more than one rank), as PyTorch DDP does it:
///
/// - at the start, the ranks check that they agree (parameter names and shapes, data sizes, batch size, epochs,
///   resume point, ``Trainer/distributedFingerprint``) and take rank 0's weights and buffers;
/// - each rank trains on its ``DataShard`` of every global batch (per-rank batch × world size), so the order is
///   still a function of `(seed, epoch)`;
/// - each batch's loss sum and sample count are summed over the ranks, so every rank logs the global loss;
///   the local loss is scaled by `n_r · N / G` so that averaging the gradients gives the global batch's mean;
/// - gradients are averaged in buckets by a ``GradientReducer`` while backward runs, on optimizer steps only;
/// - `stopTraining` and each epoch's logs are agreed (rank 0's logs win), so callbacks decide alike.
final class DataParallelFit {
    let group: any ProcessGroup
    let reducer: GradientReducer

    /// Checks agreement, broadcasts rank 0's state and registers the gradient hooks.
    /// - Throws: ``DistributedError/ranksDisagree(what:values:)``.
    init(trainer: Trainer, group: any ProcessGroup, items: [(what: String, value: String)]) throws {
        self.group = group
        let shapes = trainer.model.namedParameters.map { "\($0.0) \($0.1.shape) \($0.1.value.dtype)" }
        try RankAgreement.check([("parameter names and shapes", shapes.joined(separator: "; "))] + items, group: group)
        var state = trainer.model.stateDict()
        for key in state.keys.sorted() {
            guard let t = state[key], t.dtype == .float32 || t.dtype == .float64 else { continue }
            state[key] = group.broadcast(t, from: 0)
        }
        try trainer.model.load(stateDict: state)
        reducer = GradientReducer(parameters: trainer.optimizer.allParameters.filter(\.isTrainable), group: group)
    }

    func end() { reducer.remove() }

    /// The batch's mean loss and sample count over every rank, from this rank's loss and sample count.
    func globalLoss(_ local: Double, samples: Int) -> (mean: Double, samples: Int) {
        let sums = group.allReduceSum([local * Double(samples), Double(samples)])
        return (sums[0] / Swift.max(sums[1], 1), Int(sums[1]))
    }

    /// True on every rank when any rank wants to stop.
    func agreeToStop(_ local: Bool) -> Bool { group.allReduceSum([local ? 1 : 0])[0] > 0 }

    /// Rank 0's epoch logs, on every rank (the keys are the same everywhere: the same config and data).
    func shareEpochLogs(_ logs: [String: Double]) -> [String: Double] {
        let keys = logs.keys.sorted()
        let values = group.broadcast(Tensor(keys.map { logs[$0]! }, shape: [keys.count]), from: 0)
            .toArray(as: Double.self)
        return Dictionary(uniqueKeysWithValues: zip(keys, values))
    }
}

extension Trainer {
    /// The process group `fit` trains over, when it has more than one rank.
    var parallelGroup: (any ProcessGroup)? {
        guard let processGroup, processGroup.worldSize > 1 else { return nil }
        return processGroup
    }

    /// One data-parallel forward/backward; steps the optimizer when `step`. Returns the global batch size.
    func parallelForwardBackward(_ batch: Batch, parallel: DataParallelFit, step: Bool,
                                 lossOf: (Batch) -> Tensor) -> (loss: Double, samples: Int, gradientsReady: Bool) {
        let local = batch.count
        let lossValue = local > 0 ? lossOf(batch) : nil
        let localLoss = lossValue.map { v in Double(noGrad { v.detach().to(.float64) }.toArray(as: Double.self)[0]) } ?? 0
        let global = parallel.globalLoss(localLoss, samples: local)
        if step { parallel.reducer.arm() }
        if let lossValue {
            // Averaging gradients over N ranks then gives Σ_r n_r/G · (mean over rank r): the global batch's mean.
            let scale = Double(local * parallel.group.worldSize) / Double(global.samples) / Double(accumulationSteps)
            (scale == 1 ? lossValue : lossValue * scale).backward()
        }
        if step { parallel.reducer.finish() }
        return (global.mean, global.samples, step)
    }
}
