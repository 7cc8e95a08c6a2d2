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
/// State: `square_avg` (v), `grad_avg` (ḡ, centered), `momentum_buffer` (b, μ > 0).
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

    public func update(
        _ value: UnsafeBufferPointer<Float>, into newValue: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>,
        state: inout ParameterState
    ) {
        let n = value.count
        state.step += 1
        var squareAverage = state.take("square_avg", count: n)
        var gradAverage = centered ? state.take("grad_avg", count: n) : []
        var buffer = momentum > 0 ? state.take("momentum_buffer", count: n) : []

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
        let p = value.baseAddress!
        let out = newValue.baseAddress!
        let g = gradient.baseAddress!
        squareAverage.withUnsafeMutableBufferPointer { sBuffer in
            gradAverage.withUnsafeMutableBufferPointer { gaBuffer in
                buffer.withUnsafeMutableBufferPointer { bBuffer in
                    let s = sBuffer.baseAddress!
                    let ga = gaBuffer.baseAddress
                    let b = bBuffer.baseAddress
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
                }
            }
        }
        state.buffers["square_avg"] = squareAverage
        if centered { state.buffers["grad_avg"] = gradAverage }
        if useMomentum { state.buffers["momentum_buffer"] = buffer }
    }
}
