/// Asynchronous successive halving (ASHA; Li et al., "A System for Massively Parallel Hyperparameter Tuning",
/// MLSys 2020), with epochs as the resource, as Optuna's `SuccessiveHalvingPruner`.
///
/// Rungs sit at `r_k = minResource · η^(s + k)` epochs (`k = 0, 1, …`; `η = reductionFactor`,
/// `s = minEarlyStoppingRate`). When a trial has run `r_k` epochs (it reports epoch `r_k − 1`), its value is
/// compared with the values every trial of the study reported at that epoch, its own included, `m` values in
/// all. It goes on only if it ranks among the best `max(1, ⌊m/η⌋)`: about `1/η` of the trials reaching a rung
/// are promoted to the next, and the early rungs cost little, so the budget goes to promising trials.
/// Decisions never wait for other trials (that is what makes it asynchronous): the first trial at a rung is
/// always promoted, later ones must beat the rung's top `⌊m/η⌋`. Trials that reach `maxResource` epochs are
/// never stopped. A NaN value is always stopped.
public struct ASHAPruner: Pruner {
    /// Epochs at the first rung (`r₀`).
    public var minResource: Int
    /// `η`: each rung promotes about `1/η` of the trials that reach it, and is `η` times further than the last.
    public var reductionFactor: Int
    /// `s`: skips the first `s` rungs (the first rung is then at `minResource · η^s`).
    public var minEarlyStoppingRate: Int
    /// The full budget (epochs) of a trial; no rung at or beyond it. Nil: rungs go on forever.
    public var maxResource: Int?

    public init(minResource: Int = 1, reductionFactor: Int = 3, minEarlyStoppingRate: Int = 0, maxResource: Int? = nil)
    {
        precondition(
            minResource >= 1 && reductionFactor >= 2 && minEarlyStoppingRate >= 0,
            "ASHAPruner: needs minResource >= 1, reductionFactor >= 2, minEarlyStoppingRate >= 0")
        self.minResource = minResource
        self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate
        self.maxResource = maxResource
    }

    /// The rung resources (epochs) below `limit`: `minResource · η^(s+k)`.
    public func rungs(below limit: Int) -> [Int] {
        var out: [Int] = []
        var r = minResource
        for _ in 0..<minEarlyStoppingRate { r *= reductionFactor }
        while r < limit {
            out.append(r)
            r *= reductionFactor
        }
        return out
    }

    public func shouldPrune(trial: TrialRecord, epoch: Int, trials: [TrialRecord], direction: SearchDirection) -> Bool {
        guard let value = trial.intermediate[epoch] else { return false }
        if value.isNaN { return true }
        let resource = epoch + 1
        if let maxResource, resource >= maxResource { return false }
        guard rungs(below: resource + 1).last == resource else { return false }
        var competing = trials.compactMap { $0.number == trial.number ? nil : $0.intermediate[epoch] }.filter {
            !$0.isNaN
        }
        competing.append(value)
        let promoted = Swift.max(1, competing.count / reductionFactor)
        let ranked = direction.sortedBestFirst(competing) { $0 }
        return direction.isBetter(ranked[promoted - 1], than: value)
    }
}
