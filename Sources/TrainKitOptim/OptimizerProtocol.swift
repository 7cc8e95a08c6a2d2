import TrainKitCore

/// What training loops and schedules need from an optimizer, whatever its rule.
///
/// `Optimizer<Rule>` is the one implementation; code that holds optimizers of different rules
/// (a `Trainer`, a schedule) uses `any OptimizerProtocol`.
public protocol OptimizerProtocol: AnyObject {
    /// Applies one update to every trainable parameter that has a gradient (others are skipped).
    func step()
    /// Clears every parameter's gradient (sets it to nil, PyTorch's `set_to_none=True`).
    func zeroGrad()
    /// All parameters, group by group, in order (the indices of `stateDict()`).
    var allParameters: [Parameter] { get }
    /// The learning rate of each group.
    var learningRates: [Double] { get set }
    /// The learning rate each group had when a first schedule was attached (PyTorch `initial_lr`); nil before.
    var initialLearningRates: [Double?] { get set }
    /// The cyclable momentum of each group (see `UpdateRule.scheduledMomentum`); nil where the rule has none.
    var momenta: [Double?] { get set }
    /// The optimizer's state: every buffer as a tensor, the rest as JSON-encodable metadata.
    func stateDict() -> OptimizerStateDict
    /// Restores a state saved by `stateDict()` from an optimizer of the same rule over parameters of the same
    /// shapes in the same groups, replacing the hyperparameters and state. Throws `OptimizerStateError` on mismatch.
    func load(stateDict: OptimizerStateDict) throws
}
