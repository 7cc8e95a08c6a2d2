import TrainKitCore

/// One optimizer's update of one parameter: PyTorch's per-parameter `_single_tensor_*` step.
///
/// A rule holds its hyperparameters (one value per parameter group) and is a pure function of
/// `(value, gradient, state)`: it returns the new value and advances `state` (the step count and state tensors
/// shaped like the parameter, see `ParameterState`, which save with a checkpoint). It never sees a model and
/// never records on the autograd tape. `Optimizer` drives a rule over parameter groups; call `update` directly
/// for one tensor.
///
/// A rule's one requirement is `composedUpdate`, its step written in tensor ops: it runs on any device, in
/// float32 and float64. The built-in rules also have a fused float32 loop, the CPU backend's fused capability
/// (FusedUpdateRule.swift), which `update` and `Optimizer` pick for float32 parameters on the `cpu` device; the
/// two agree to float32 rounding (FusedComposedTests).
///
/// Scalar coefficients are computed in `Double` exactly as PyTorch computes them in Python, then rounded to the
/// parameter's dtype; the elementwise math runs in the parameter's dtype in the order of PyTorch's CPU kernels.
public protocol UpdateRule: Codable, Sendable, Equatable {
    /// The name recorded in state dicts (`"adam"`); loading checks it.
    static var name: String { get }
    /// The learning rate γ (PyTorch `lr`); schedules change it.
    var lr: Double { get set }
    /// The weight decay λ (PyTorch `weight_decay`).
    var weightDecay: Double { get set }
    /// The momentum a `OneCycleLR` cycles: SGD's and RMSprop's `momentum`, β1 of the Adam family; nil when the
    /// rule has none. Setting it on such a rule does nothing.
    var scheduledMomentum: Double? { get set }
    /// One step in tensor ops: returns θ after the step from θ = `value` and g = `gradient` (same shape, dtype
    /// float32 or float64, same device) and advances `state`, whose tensors it creates on the first step
    /// (`ParameterState()` before it) like `value`. Inputs are not modified (state tensors are replaced).
    func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor
}

extension UpdateRule {
    public var scheduledMomentum: Double? {
        get { nil }
        set {}
    }

    /// The functional form: returns `value` after one step with `gradient` (same shape, float32 or float64,
    /// same device), advancing `state`. Float32 tensors on the CPU take the rule's fused loop, everything else
    /// `composedUpdate`. Inputs are not modified; the result is detached.
    ///
    /// ```swift
    /// var state = ParameterState()
    /// let w1 = Adam(lr: 0.1).update(w0, gradient: g, state: &state)
    /// ```
    public func update(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        checkOperands(value, gradient)
        guard let fused = fusedRule(for: value) else {
            return noGrad { composedUpdate(value.detach(), gradient: gradient.detach(), state: &state).detach() }
        }
        let out = Tensor(uninitialized: value.shape, dtype: .float32, on: value.backend)
        value.withUnsafeBufferPointer(as: Float.self) { p in
            gradient.withUnsafeBufferPointer(as: Float.self) { g in
                fused.fusedUpdate(
                    FusedOperands(
                        shape: value.shape, count: value.count, value: p.baseAddress!, out: out.mutableFloats,
                        gradient: g.baseAddress!),
                    state: &state)
            }
        }
        return out
    }

    /// Stops with a message naming the rule when `value` and `gradient` cannot step together.
    func checkOperands(_ value: Tensor, _ gradient: Tensor) {
        precondition(
            value.shape == gradient.shape,
            "\(Self.name): value shape \(value.shape) != gradient shape \(gradient.shape)")
        precondition(
            value.dtype == gradient.dtype && value.dtype.isFloatingPoint,
            "\(Self.name): needs a float32 or float64 value and gradient of one dtype, got \(value.dtype) and "
                + "\(gradient.dtype)")
        precondition(
            value.device == gradient.device,
            "\(Self.name): value on \(value.device), gradient on \(gradient.device)")
    }
}

/// A rule whose `scheduledMomentum` is one of its hyperparameters: SGD's and RMSprop's `momentum`, β1 of the Adam
/// family.
protocol MomentumCyclingRule: UpdateRule {
    /// The hyperparameter that `scheduledMomentum` reads and writes.
    static var cycledMomentum: WritableKeyPath<Self, Double> { get }
}

extension MomentumCyclingRule {
    public var scheduledMomentum: Double? {
        get { self[keyPath: Self.cycledMomentum] }
        set { if let newValue { self[keyPath: Self.cycledMomentum] = newValue } }
    }
}

