import TrainKitCore

/// Parameters that share hyperparameters (PyTorch's `param_groups` entry).
///
/// A group starts from the optimizer's rule (its defaults) and overrides `lr`, `weightDecay` or, through
/// `configure`, any other hyperparameter of the rule:
///
/// ```swift
/// let optimizer = Optimizer(AdamW(lr: 1e-3), groups: [
///     ParameterGroup(parameters: weights),
///     ParameterGroup(parameters: biasesAndNorms, weightDecay: 0),
///     ParameterGroup(parameters: head, lr: 1e-2) { $0.betas = (0.8, 0.99) },
/// ])
/// ```
public struct ParameterGroup<Rule: UpdateRule> {
    public var parameters: [Parameter]
    public var lr: Double?
    public var weightDecay: Double?
    public var configure: ((inout Rule) -> Void)?

    public init(
        parameters: [Parameter], lr: Double? = nil, weightDecay: Double? = nil,
        configure: ((inout Rule) -> Void)? = nil
    ) {
        self.parameters = parameters
        self.lr = lr
        self.weightDecay = weightDecay
        self.configure = configure
    }

    /// The group's rule: `defaults` with this group's overrides applied.
    func resolve(_ defaults: Rule) -> Rule {
        var rule = defaults
        if let lr { rule.lr = lr }
        if let weightDecay { rule.weightDecay = weightDecay }
        configure?(&rule)
        return rule
    }
}
