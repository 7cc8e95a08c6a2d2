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
/// State (`ParameterState`): `expAvg` (m, `exp_avg`), `expAvgSq` (v, `exp_avg_sq`), the scalar `muProduct`
/// (Π, `mu_product`; rounded to float32 for float32 parameters, as PyTorch keeps it, Double for float64 ones).
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

    /// The scalars of step t: the coefficients of g/d and m/d, and Πₜ, which PyTorch keeps as a tensor of the
    /// default scalar dtype: rounded to float32 for float32 parameters, kept in Double for float64 ones.
    func coefficients(_ t: Double, muProduct previous: Double?, dtype: DType)
        -> (c1: Double, c2: Double, product: Double)
    {
        let mu = beta1 * (1.0 - 0.5 * pow(0.96, t * momentumDecay))
        let muNext = beta1 * (1.0 - 0.5 * pow(0.96, (t + 1) * momentumDecay))
        let muProduct = rounded((previous ?? 1) * rounded(mu, to: dtype), to: dtype)
        let muProductNext = muProduct * muNext
        return (-lr * (1.0 - mu) / (1.0 - muProduct), (-lr * muNext) / (1.0 - muProductNext), muProduct)
    }

    public func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        let moments = AdamMoments(self)
        let (p, g, m, t) = moments.composedMoments(value, gradient: gradient, state: &state)
        let v = moments.composedSecondMoment(g, state: &state)
        let (c1, c2, product) = coefficients(t, muProduct: state.muProduct, dtype: value.dtype)
        state.muProduct = product
        let denom = v.divided(by: 1 - pow(beta2, t)).sqrt() + eps
        return p + g * c1 / denom + m * c2 / denom
    }
}

extension NAdam: FusedUpdateRule {
    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState) {
        AdamMoments(self).step(step, state: &state) { k, t, state in
            let (first, second, product) = coefficients(t, muProduct: state.muProduct, dtype: .float32)
            state.muProduct = product
            let c1 = Float(first)
            let c2 = Float(second)
            let correction2 = Float(1 - pow(beta2, t))
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
