import TrainKitCore

/// Drives an `UpdateRule` over parameter groups: the training loop's `optimizer.step()`.
///
/// Each group has its own hyperparameters (a copy of the rule) and each parameter its own `ParameterState`.
/// Parameters are float32 or float64, on any device. `step()` updates, off the autograd tape, every parameter
/// that is trainable and has a gradient: a float32 parameter on the CPU in place in one fused pass
/// (`Parameter.withWritableValue`: copy-on-write, so tensors that still hold the old value keep it), any other
/// by the rule's `composedUpdate`, whose result replaces the value.
///
/// ```swift
/// let optimizer = Optimizer(Adam(lr: 1e-3), parameters: parameters)
/// for batch in loader {
///     optimizer.zeroGrad()
///     loss(batch).backward()
///     optimizer.step()
/// }
/// ```
public final class Optimizer<Rule: UpdateRule>: OptimizerProtocol {
    /// One parameter group: its parameters and hyperparameters.
    public struct Group {
        public let parameters: [Parameter]
        /// This group's hyperparameters; change them through `optimizer[group:]`.
        public internal(set) var rule: Rule
        /// PyTorch's `initial_lr`, set by the first schedule attached.
        public internal(set) var initialLR: Double?
    }

    /// The hyperparameters that new groups start from.
    public let defaults: Rule
    public internal(set) var groups: [Group] = []
    /// Per group, per parameter (aligned with `groups`); nil before a parameter's first step.
    var states: [[ParameterState?]] = []
    private var known: Set<ObjectIdentifier> = []

    /// An optimizer with one group holding `parameters` and the hyperparameters of `rule`.
    public convenience init(_ rule: Rule, parameters: [Parameter]) {
        self.init(rule, groups: [ParameterGroup(parameters: parameters)])
    }

    /// An optimizer over `groups`, each starting from `rule` with its own overrides.
    public init(_ rule: Rule, groups: [ParameterGroup<Rule>]) {
        defaults = rule
        for group in groups { addGroup(group) }
    }

    /// Adds a group (PyTorch `add_param_group`); a parameter may belong to one group only.
    public func addGroup(_ group: ParameterGroup<Rule>) {
        for parameter in group.parameters {
            let id = ObjectIdentifier(parameter)
            precondition(!known.contains(id), "Optimizer(\(Rule.name)): a parameter appears in more than one group")
            precondition(
                parameter.detachedValue.dtype.isFloatingPoint,
                "Optimizer(\(Rule.name)): parameters must be float32 or float64, got \(parameter.detachedValue.dtype)")
            known.insert(id)
        }
        groups.append(Group(parameters: group.parameters, rule: group.resolve(defaults), initialLR: nil))
        states.append([ParameterState?](repeating: nil, count: group.parameters.count))
    }

    /// The hyperparameters of group `index` (`optimizer[group: 1].lr = 1e-4`).
    public subscript(group index: Int) -> Rule {
        get { groups[index].rule }
        set { groups[index].rule = newValue }
    }

    /// The state of the `index`-th parameter of group `group`, nil before its first step.
    public func state(group: Int, index: Int) -> ParameterState? { states[group][index] }

    public func step() {
        noGrad {
            for g in groups.indices {
                let rule = groups[g].rule
                for (k, parameter) in groups[g].parameters.enumerated() {
                    guard parameter.isTrainable, let gradient = parameter.grad else { continue }
                    var state = states[g][k] ?? ParameterState()
                    states[g][k] = nil  // the state tensors are now referenced by `state` alone
                    Self.update(parameter, gradient: gradient, rule: rule, state: &state)
                    states[g][k] = state
                }
            }
        }
    }

    /// One parameter's step: the rule's fused loop in place when it has one for the value, else composed.
    private static func update(_ parameter: Parameter, gradient: Tensor, rule: Rule, state: inout ParameterState) {
        let value = parameter.detachedValue
        rule.checkOperands(value, gradient)
        guard let fused = rule.fusedRule(for: value) else {
            parameter.value = rule.composedUpdate(value, gradient: gradient, state: &state)
            return
        }
        let shape = value.shape
        _ = consume value  // so that the value's buffer is the parameter's alone again
        gradient.withUnsafeBufferPointer(as: Float.self) { g in
            parameter.withWritableValue { value in
                let p = value.mutableFloats
                fused.fusedUpdate(
                    FusedOperands(shape: shape, count: value.count, value: p, out: p, gradient: g.baseAddress!),
                    state: &state)
            }
        }
    }

    public func zeroGrad() {
        for group in groups { for parameter in group.parameters { parameter.zeroGrad() } }
    }

    public var allParameters: [Parameter] { groups.flatMap(\.parameters) }

    public var learningRates: [Double] {
        get { groups.map(\.rule.lr) }
        set {
            precondition(
                newValue.count == groups.count, "learningRates: \(newValue.count) values for \(groups.count) groups")
            for g in groups.indices { groups[g].rule.lr = newValue[g] }
        }
    }

    public var initialLearningRates: [Double?] {
        get { groups.map(\.initialLR) }
        set {
            precondition(
                newValue.count == groups.count,
                "initialLearningRates: \(newValue.count) values for \(groups.count) groups")
            for g in groups.indices { groups[g].initialLR = newValue[g] }
        }
    }

    public var momenta: [Double?] {
        get { groups.map(\.rule.scheduledMomentum) }
        set {
            precondition(newValue.count == groups.count, "momenta: \(newValue.count) values for \(groups.count) groups")
            for g in groups.indices { groups[g].rule.scheduledMomentum = newValue[g] }
        }
    }
}
