import TrainKitCore

/// RMSprop with optional centering, momentum and L2 weight decay (PyTorch `torch.optim.RMSprop`).
///
/// With γ = `lr`, α = `alpha`, ε = `eps`, λ = `weightDecay`, μ = `momentum`; no bias correction, v starts at 0,
/// ε outside the square root:
/// ```
/// g ← g + λθ                                        (if λ ≠ 0)
/// v ← α·v + (1 − α)·g²
/// centered:  ḡ ← α·ḡ + (1 − α)·g;  ṽ = v − ḡ²      else ṽ = v
/// μ > 0:     b ← μ·b + g / (sqrt(ṽ) + ε);  θ ← θ − γ·b
/// else:      θ ← θ − γ·g / (sqrt(ṽ) + ε)
/// ```
/// State (`ParameterState`): `squareAvg` (v, `square_avg`), `gradAvg` (ḡ, `grad_avg`, centered),
/// `momentumBuffer` (b, `momentum_buffer`, μ > 0).
///
/// - Parameters:
///   - lr: learning rate γ (default 1e-2).
///   - alpha: smoothing constant α of the squared-gradient average.
///   - eps: ε, added to the denominator.
///   - weightDecay: λ, L2 penalty added to the gradient.
///   - momentum: μ.
///   - centered: normalize by the estimated variance instead of the raw second moment.
///
/// ```swift
/// let optimizer = Optimizer(RMSprop(lr: 1e-3, momentum: 0.9, centered: true), parameters: parameters)
/// ```
public struct RMSprop: MomentumCyclingRule {
    /// The rule's name in state dicts.
    public static let name = "rmsprop"
    /// Learning rate γ.
    public var lr: Double
    /// Smoothing constant α of the squared-gradient average.
    public var alpha: Double
    /// ε, added to the denominator for numerical stability.
    public var eps: Double
    /// Weight decay λ.
    public var weightDecay: Double
    /// Momentum factor μ.
    public var momentum: Double
    /// Normalize by the estimated variance of the gradient.
    public var centered: Bool

    /// The rule with these hyperparameters; the defaults are PyTorch's. Invalid values (a negative lr,
    /// β ∉ [0, 1), ...) stop with a precondition failure naming the value.
    public init(
        lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
        momentum: Double = 0, centered: Bool = false
    ) {
        precondition(lr >= 0, "RMSprop: invalid lr \(lr)")
        precondition(eps >= 0, "RMSprop: invalid eps \(eps)")
        precondition(alpha >= 0, "RMSprop: invalid alpha \(alpha)")
        precondition(momentum >= 0, "RMSprop: invalid momentum \(momentum)")
        precondition(weightDecay >= 0, "RMSprop: invalid weightDecay \(weightDecay)")
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }

    static var cycledMomentum: WritableKeyPath<RMSprop, Double> { \.momentum }

    public func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        state.step += 1
        var g = gradient
        if weightDecay != 0 { g = g + value * weightDecay }
        let squareAverage = (state.squareAvg ?? g.zerosLike()) * alpha + g * (1 - alpha) * g
        state.squareAvg = squareAverage
        var average: Tensor
        if centered {
            let gradAverage = (state.gradAvg ?? g.zerosLike()).lerp(to: g, weight: 1 - alpha)
            state.gradAvg = gradAverage
            average = (squareAverage - gradAverage * gradAverage).sqrt()
        } else {
            average = squareAverage.sqrt()
        }
        average = average + eps
        guard momentum > 0 else { return value + g * -lr / average }
        let buffer = (state.momentumBuffer ?? g.zerosLike()) * momentum + g / average
        state.momentumBuffer = buffer
        return value + buffer * -lr
    }
}

extension RMSprop: FusedUpdateRule {
    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState) {
        let n = step.count
        state.step += 1
        let squareAverage = state.takeWritable(\.squareAvg, shape: step.shape)
        let gradAverage = centered ? state.takeWritable(\.gradAvg, shape: step.shape) : nil
        let buffer = momentum > 0 ? state.takeWritable(\.momentumBuffer, shape: step.shape) : nil

        let decay = weightDecay != 0
        let centered = centered
        let useMomentum = momentum > 0
        let wd = Float(weightDecay)
        let a = Float(alpha)
        let w = Float(1 - alpha)
        let epsilon = Float(eps)
        let small = isSmallLerpWeight(w)
        let mu = Float(momentum)
        let negLR = Float(-lr)
        let (p, out, g) = (step.value, step.out, step.gradient)
        let s = squareAverage.mutableFloats
        let ga = gradAverage?.mutableFloats
        let b = buffer?.mutableFloats
        FusedLoop.forEachChunk(n) { range in
            FusedLoop.vectors(range) { i, limit in
                let pi = load(p, i, limit)
                var gi = load(g, i, limit)
                if decay { gi = gi + wd * pi }
                var si = load(s, i, limit) * a
                si = si + w * gi * gi
                store(si, s, i, limit)
                var average: Float4
                if centered {
                    let gai = lerp(load(ga!, i, limit), gi, w, small: small)
                    store(gai, ga!, i, limit)
                    average = squareRoot(si + (-1) * gai * gai)
                } else {
                    average = squareRoot(si)
                }
                average = average + epsilon
                if useMomentum {
                    let bi = load(b!, i, limit) * mu + gi / average
                    store(bi, b!, i, limit)
                    store(pi + negLR * bi, out, i, limit)
                } else {
                    store(pi + negLR * gi / average, out, i, limit)
                }
            }
        }
        state.squareAvg = squareAverage
        if centered { state.gradAvg = gradAverage }
        if useMomentum { state.momentumBuffer = buffer }
    }
}
