import TrainKitCore

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay
/// (PyTorch `torch.optim.SGD`).
///
/// With γ = `lr`, μ = `momentum`, τ = `dampening`, λ = `weightDecay`, per step t:
/// ```
/// g ← g + λθ                                   (if λ ≠ 0)
/// b ← g  (t = 1)   or   b ← μb + (1 − τ)g      (if μ ≠ 0; the first step copies g, no dampening)
/// g ← g + μb  (nesterov)   or   g ← b
/// θ ← θ − γg
/// ```
/// The learning rate scales the buffer (PyTorch's form, not Sutskever's). State (`ParameterState`):
/// `momentumBuffer` (b, `momentum_buffer`).
///
/// - Parameters:
///   - lr: learning rate γ (default 1e-3).
///   - momentum: μ ≥ 0.
///   - dampening: τ, the damping of the new gradient in the buffer.
///   - weightDecay: λ, coupled L2 added to the gradient.
///   - nesterov: Nesterov momentum (needs μ > 0 and τ = 0).
///
/// ```swift
/// let optimizer = Optimizer(SGD(lr: 0.1, momentum: 0.9), parameters: model.parameters.map(\.parameter))
/// ```
public struct SGD: MomentumCyclingRule {
    /// The rule's name in state dicts.
    public static let name = "sgd"
    /// Learning rate γ.
    public var lr: Double
    /// Momentum factor μ.
    public var momentum: Double
    /// Dampening τ of the new gradient in the momentum buffer.
    public var dampening: Double
    /// Weight decay λ.
    public var weightDecay: Double
    /// Nesterov momentum.
    public var nesterov: Bool

    /// The rule with these hyperparameters; the defaults are PyTorch's. Invalid values (a negative lr,
    /// β ∉ [0, 1), ...) stop with a precondition failure naming the value.
    public init(
        lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
        nesterov: Bool = false
    ) {
        precondition(lr >= 0, "SGD: invalid lr \(lr)")
        precondition(momentum >= 0, "SGD: invalid momentum \(momentum)")
        precondition(weightDecay >= 0, "SGD: invalid weightDecay \(weightDecay)")
        precondition(
            !nesterov || (momentum > 0 && dampening == 0),
            "SGD: Nesterov momentum requires momentum > 0 and zero dampening")
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    static var cycledMomentum: WritableKeyPath<SGD, Double> { \.momentum }

    public func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        state.step += 1
        var g = gradient
        if weightDecay != 0 { g = g + value * weightDecay }
        if momentum != 0 {
            let b = state.momentumBuffer.map { $0 * momentum + g * (1 - dampening) } ?? g
            state.momentumBuffer = b
            g = nesterov ? g + b * momentum : b
        }
        return value + g * -lr
    }
}

extension SGD: FusedUpdateRule {
    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState) {
        let n = step.count
        state.step += 1
        let (p, out, g) = (step.value, step.out, step.gradient)
        let wd = Float(weightDecay)
        let negLR = Float(-lr)
        let mu = Float(momentum)
        let keep = Float(1 - dampening)
        let decay = weightDecay != 0
        let nesterov = nesterov
        guard momentum != 0 else {
            FusedLoop.forEachChunk(n) { range in
                FusedLoop.vectors(range) { i, limit in
                    let pi = load(p, i, limit)
                    var gi = load(g, i, limit)
                    if decay { gi = gi + wd * pi }
                    store(pi + negLR * gi, out, i, limit)
                }
            }
            return
        }
        let first = state.momentumBuffer == nil
        let buffer = state.takeWritable(\.momentumBuffer, shape: step.shape)
        let b = buffer.mutableFloats
        FusedLoop.forEachChunk(n) { range in
            FusedLoop.vectors(range) { i, limit in
                let pi = load(p, i, limit)
                var gi = load(g, i, limit)
                if decay { gi = gi + wd * pi }
                let bi = first ? gi : load(b, i, limit) * mu + keep * gi
                store(bi, b, i, limit)
                let step = nesterov ? gi + mu * bi : bi
                store(pi + negLR * step, out, i, limit)
            }
        }
        state.momentumBuffer = buffer
    }
}
