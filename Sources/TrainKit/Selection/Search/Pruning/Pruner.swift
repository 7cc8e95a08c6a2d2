/// Decides whether a trial should stop early, after it reports an intermediate value.
public protocol Pruner: Sendable {
    /// Whether `trial` (whose ``TrialRecord/intermediate`` already holds the value just reported for `epoch`)
    /// should stop, given every trial of the study (running, finished and itself).
    func shouldPrune(trial: TrialRecord, epoch: Int, trials: [TrialRecord], direction: SearchDirection) -> Bool
}

/// The pruners by name, for command lines (`--prune asha`).
public enum PrunerKind: String, Codable, Sendable, CaseIterable {
    case none, asha

    /// A pruner with default settings (nil for `none`); `maxEpochs` is the full budget of a trial.
    public func make(maxEpochs: Int? = nil) -> (any Pruner)? {
        switch self {
        case .none: return nil
        case .asha: return ASHAPruner(maxResource: maxEpochs)
        }
    }
}
