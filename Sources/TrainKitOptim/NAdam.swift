import Foundation
import TrainKitCore

/// Adam with Nesterov momentum and a momentum-decay schedule (PyTorch `torch.optim.NAdam`; Dozat 2016).
///
/// With γ = `lr`, (β1, β2) = `betas`, ε = `eps`, λ = `weightDecay`, ψ = `momentumDecay`, per step t (from 1):
/// ```
/// g ← g + λθ   (or θ ← θ − γλθ when decoupledWeightDecay)
/// μₜ = β1·(1 − ½·0.96^(tψ)),   μₜ₊₁ = β1·(1 − ½·0.96^((t+1)ψ)),   Πₜ = Πₜ₋₁·μₜ  (Π₀ = 1, kept in float32)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// d = sqrt(v / (1 − β2ᵗ)) + ε
/// θ ← θ − γ(1 − μₜ)/(1 − Πₜ) · g/d − γμₜ₊₁/(1 − Πₜμₜ₊₁) · m/d
/// ```
/// State: `exp_avg` (m), `exp_avg_sq` (v), scalar `mu_product` (Π).
///
/// - Parameters:
///   - lr: learning rate γ (default 2e-3).
///   - betas: (β1, β2).
///   - eps: ε, added to the denominator.
///   - weightDecay: λ.
///   - momentumDecay: ψ (default 4e-3).
///   - decoupledWeightDecay: apply λ as AdamW does (NAdamW).
///
/// ```swift
/// let optimizer = Optimizer(NAdam(lr: 2e-3), parameters: parameters)
/// ```
public struct NAdam: AdamFamilyRule {
    /// The rule's name in state dicts.
    public static let name = "nadam"
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
    /// Momentum decay ψ of the μₜ schedule.
    public var momentumDecay: Double
    /// Apply the weight decay to the parameter, scaled by lr, as AdamW does.
    public var decoupledWeightDecay: Bool

    /// The rule with these hyperparameters; the defaults are PyTorch's. Invalid values (a negative lr,
    /// β ∉ [0, 1), ...) stop with a precondition failure naming the value.
    public init(
        lr: Double = 2e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, momentumDecay: Double = 4e-3, decoupledWeightDecay: Bool = false
    ) {
        validateAdamFamily("NAdam", lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        precondition(momentumDecay >= 0, "NAdam: invalid momentumDecay \(momentumDecay)")
        self.lr = lr
        (beta1, beta2) = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentumDecay = momentumDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// (β1, β2).
    public var betas: (Double, Double) {
        get { (beta1, beta2) }
        set { (beta1, beta2) = newValue }
    }

    public func update(
        _ value: UnsafeBufferPointer<Float>, into newValue: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>,
        state: inout ParameterState
    ) {
        AdamMoments(self).step(value, into: newValue, gradient: gradient, state: &state) { k, t, state in
            let biasCorrection2 = 1 - pow(beta2, t)
            let mu = beta1 * (1.0 - 0.5 * pow(0.96, t * momentumDecay))
            let muNext = beta1 * (1.0 - 0.5 * pow(0.96, (t + 1) * momentumDecay))
            // PyTorch keeps mu_product as a float32 tensor: each product is rounded to float32.
            let muProduct = Double(Float(state.scalars["mu_product"] ?? 1) * Float(mu))
            state.scalars["mu_product"] = muProduct
            let muProductNext = muProduct * muNext
            let c1 = Float(-lr * (1.0 - mu) / (1.0 - muProduct))
            let c2 = Float((-lr * muNext) / (1.0 - muProductNext))
            let correction2 = Float(biasCorrection2)
            let (out, epsilon) = (k.out, k.epsilon)
            @inline(__always) func vector(_ i: Int, _ limit: Int) {
                var (pi, gi, mi, vi) = k.moments(i, limit)
                let denom = squareRoot(vi / correction2) + epsilon
                pi = pi + c1 * gi / denom
                store(pi + c2 * mi / denom, out, i, limit)
            }
            FusedLoop.forEachChunk(k.count) { range in FusedLoop.vectors(range, vector) }
        }
    }
}
