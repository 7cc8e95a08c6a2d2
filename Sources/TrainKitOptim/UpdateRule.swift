import TrainKitCore

/// One optimizer's update of one parameter: PyTorch's per-parameter `_single_tensor_*` step, fused.
///
/// A rule holds its hyperparameters (one value per parameter group) and is a pure function of
/// `(value, gradient, state)`: it writes the new value (in place, or into a separate buffer) and advances `state`
/// (the moments and the step count, plain float32 buffers that save with a checkpoint). It never sees a model and never records on the
/// autograd tape. `Optimizer` drives a rule over parameter groups; call `update` directly for one tensor.
///
/// Scalar coefficients are computed in `Double` exactly as PyTorch computes them in Python, then rounded to
/// `Float`; the elementwise math is float32 in the order of PyTorch's CPU kernels.
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
    /// Applies one step to one parameter: reads `value`, writes the updated value to `newValue` in one pass.
    /// `newValue` may be `value`'s own memory (an in-place update) but must not overlap it otherwise. `value`,
    /// `newValue` and `gradient` have the same count; `state` starts empty (`ParameterState()`) and is owned by
    /// the caller between steps.
    func update(
        _ value: UnsafeBufferPointer<Float>, into newValue: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>, state: inout ParameterState)
}

extension UpdateRule {
    public var scheduledMomentum: Double? {
        get { nil }
        set {}
    }

    /// Applies one step to one parameter in place.
    public func update(
        _ value: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        state: inout ParameterState
    ) {
        update(UnsafeBufferPointer(value), into: value, gradient: gradient, state: &state)
    }

    /// The functional form: returns the updated value of `value` (float32) after one step with `gradient`,
    /// advancing `state`. Inputs are not modified; the result is detached.
    ///
    /// ```swift
    /// var state = ParameterState()
    /// let w1 = Adam(lr: 0.1).update(w0, gradient: g, state: &state)
    /// ```
    public func update(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        precondition(
            value.dtype == .float32 && gradient.dtype == .float32,
            "\(Self.name): needs float32 value and gradient, got \(value.dtype) and \(gradient.dtype)")
        precondition(
            value.shape == gradient.shape,
            "\(Self.name): value shape \(value.shape) != gradient shape \(gradient.shape)")
        return value.withUnsafeBufferPointer(as: Float.self) { old in
            gradient.withUnsafeBufferPointer(as: Float.self) { g in
                Tensor.make(shape: value.shape, as: Float.self) { out in
                    update(old, into: out, gradient: g, state: &state)
                }
            }
        }
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

/// The state an `UpdateRule` keeps for one parameter (PyTorch's `optimizer.state[p]`): the step count,
/// float32 buffers shaped like the parameter (row-major), and a few scalars.
///
/// Buffer names follow PyTorch (`exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `momentum_buffer`, `square_avg`,
/// `grad_avg`, `sum`, `exp_inf`); scalars likewise (`mu_product`). A rule creates its buffers on first use.
public struct ParameterState: Sendable, Equatable {
    /// Steps taken so far (t after the t-th step).
    public var step: Int
    public var buffers: [String: [Float]]
    public var scalars: [String: Double]

    public init(step: Int = 0, buffers: [String: [Float]] = [:], scalars: [String: Double] = [:]) {
        self.step = step
        self.buffers = buffers
        self.scalars = scalars
    }

    /// Removes and returns buffer `name` (uniquely owned, so it can be written in place), or a new one of `count`
    /// elements set to `initial` when absent. Put it back with `buffers[name] = ...`.
    mutating func take(_ name: String, count: Int, initial: Float = 0) -> [Float] {
        if let buffer = buffers.removeValue(forKey: name) {
            precondition(
                buffer.count == count, "optimizer state '\(name)' has \(buffer.count) elements, parameter \(count)")
            return buffer
        }
        return [Float](repeating: initial, count: count)
    }
}
