import TrainKitCore

/// Adagrad with learning-rate decay, an initial accumulator and L2 weight decay (PyTorch `torch.optim.Adagrad`).
///
/// With γ = `lr`, η = `lrDecay`, λ = `weightDecay`, ε = `eps`, per step t (from 1):
/// ```
/// γ̃ ← γ / (1 + (t − 1)·η)
/// g ← g + λθ                                        (if λ ≠ 0)
/// s ← s + g²                                        (s starts at initialAccumulatorValue)
/// θ ← θ − γ̃·g / (sqrt(s) + ε)
/// ```
/// State (`ParameterState`): `sum` (s, `sum`).
///
/// - Parameters:
///   - lr: learning rate γ (default 1e-2).
///   - lrDecay: η, the per-step decay of the learning rate.
///   - weightDecay: λ, L2 penalty added to the gradient.
///   - initialAccumulatorValue: the starting value of every element of s.
///   - eps: ε, added to the denominator (default 1e-10).
///
/// ```swift
/// let optimizer = Optimizer(Adagrad(lr: 0.1), parameters: parameters)
/// ```
public struct Adagrad: UpdateRule {
    /// The rule's name in state dicts.
    public static let name = "adagrad"
    /// Learning rate γ.
    public var lr: Double
    /// Per-step learning-rate decay η.
    public var lrDecay: Double
    /// Weight decay λ.
    public var weightDecay: Double
    /// Starting value of the squared-gradient sum.
    public var initialAccumulatorValue: Double
    /// ε, added to the denominator for numerical stability.
    public var eps: Double

    /// The rule with these hyperparameters; the defaults are PyTorch's. Invalid values (a negative lr,
    /// β ∉ [0, 1), ...) stop with a precondition failure naming the value.
    public init(
        lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
        initialAccumulatorValue: Double = 0, eps: Double = 1e-10
    ) {
        precondition(lr >= 0, "Adagrad: invalid lr \(lr)")
        precondition(lrDecay >= 0, "Adagrad: invalid lrDecay \(lrDecay)")
        precondition(weightDecay >= 0, "Adagrad: invalid weightDecay \(weightDecay)")
        precondition(
            initialAccumulatorValue >= 0, "Adagrad: invalid initialAccumulatorValue \(initialAccumulatorValue)")
        precondition(eps >= 0, "Adagrad: invalid eps \(eps)")
        self.lr = lr
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
    }

    /// The learning rate of step t: γ / (1 + (t − 1)·η).
    func stepLR(_ t: Int) -> Double { lr / (1 + (Double(t) - 1) * lrDecay) }

    public func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        state.step += 1
        var g = gradient
        if weightDecay != 0 { g = g + value * weightDecay }
        let start = state.sum ?? Tensor.full(
            initialAccumulatorValue, shape: value.shape, dtype: value.dtype, device: value.device)
        let sum = start + g * g
        state.sum = sum
        return value + g * -stepLR(state.step) / (sum.sqrt() + eps)
    }
}

extension Adagrad: FusedUpdateRule {
    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState) {
        let n = step.count
        state.step += 1
        let sum = state.takeWritable(\.sum, shape: step.shape, initial: initialAccumulatorValue)
        let negCLR = Float(-stepLR(state.step))
        let decay = weightDecay != 0
        let wd = Float(weightDecay)
        let epsilon = Float(eps)
        let (p, out, g, s) = (step.value, step.out, step.gradient, sum.mutableFloats)
        FusedLoop.forEachChunk(n) { range in
            FusedLoop.vectors(range) { i, limit in
                let pi = load(p, i, limit)
                var gi = load(g, i, limit)
                if decay { gi = gi + wd * pi }
                let si = load(s, i, limit) + gi * gi
                store(si, s, i, limit)
                store(pi + negCLR * gi / (squareRoot(si) + epsilon), out, i, limit)
            }
        }
        state.sum = sum
    }
}
