import Foundation
import TrainKitCore

/// Adamax, Adam's infinity-norm variant (PyTorch `torch.optim.Adamax`).
///
/// With γ = `lr`, (β1, β2) = `betas`, ε = `eps`, λ = `weightDecay`, per step t (from 1):
/// ```
/// g ← g + λθ                                        (if λ ≠ 0)
/// m ← β1·m + (1 − β1)·g
/// u ← max(β2·u, |g| + ε)
/// θ ← θ − (γ / (1 − β1ᵗ)) · m / u
/// ```
/// State: `exp_avg` (m), `exp_inf` (u).
///
/// - Parameters:
///   - lr: learning rate γ (default 2e-3).
///   - betas: (β1, β2).
///   - eps: ε, added to |g| before the maximum.
///   - weightDecay: λ, L2 penalty added to the gradient.
///
/// ```swift
/// let optimizer = Optimizer(Adamax(lr: 2e-3), parameters: parameters)
/// ```
public struct Adamax: UpdateRule {
    /// The rule's name in state dicts.
    public static let name = "adamax"
    /// Learning rate γ.
    public var lr: Double
    /// Decay rate β1 of the first moment.
    public var beta1: Double
    /// Decay rate β2 of the second moment (Adamax: of the infinity norm).
    public var beta2: Double
    /// ε, added to the denominator for numerical stability.
    public var eps: Double
    /// Weight decay λ.
    public var weightDecay: Double

    /// The rule with these hyperparameters; the defaults are PyTorch's. Invalid values (a negative lr,
    /// β ∉ [0, 1), ...) stop with a precondition failure naming the value.
    public init(
        lr: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0
    ) {
        validateAdamFamily("Adamax", lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        self.lr = lr
        (beta1, beta2) = betas
        self.eps = eps
        self.weightDecay = weightDecay
    }

    /// (β1, β2).
    public var betas: (Double, Double) {
        get { (beta1, beta2) }
        set { (beta1, beta2) = newValue }
    }

    public var scheduledMomentum: Double? {
        get { beta1 }
        set { if let newValue { beta1 = newValue } }
    }

    public func update(
        _ value: UnsafeBufferPointer<Float>, into newValue: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>,
        state: inout ParameterState
    ) {
        let n = value.count
        state.step += 1
        var m = state.take("exp_avg", count: n)
        var u = state.take("exp_inf", count: n)
        let decay = weightDecay != 0
        let wd = Float(weightDecay)
        let w1 = Float(1 - beta1)
        let small = isSmallLerpWeight(w1)
        let b2 = Float(beta2)
        let epsilon = Float(eps)
        let negCLR = Float(-(lr / (1 - pow(beta1, Double(state.step)))))
        let p = value.baseAddress!
        let out = newValue.baseAddress!
        let g = gradient.baseAddress!
        m.withUnsafeMutableBufferPointer { mBuffer in
            u.withUnsafeMutableBufferPointer { uBuffer in
                let m = mBuffer.baseAddress!
                let u = uBuffer.baseAddress!
                FusedLoop.forEachChunk(n) { range in
                    FusedLoop.vectors(range) { i, limit in
                        let pi = load(p, i, limit)
                        var gi = load(g, i, limit)
                        if decay { gi = gi + wd * pi }
                        let mi = lerp(load(m, i, limit), gi, w1, small: small)
                        let ui = nanMaximum(load(u, i, limit) * b2, absolute(gi) + epsilon)
                        store(mi, m, i, limit)
                        store(ui, u, i, limit)
                        store(pi + negCLR * mi / ui, out, i, limit)
                    }
                }
            }
        }
        state.buffers["exp_avg"] = m
        state.buffers["exp_inf"] = u
    }
}
