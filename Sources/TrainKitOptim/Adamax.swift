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
/// State (`ParameterState`): `expAvg` (m, `exp_avg`), `expInf` (u, `exp_inf`).
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
public struct Adamax: AdamFamilyRule {
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

    /// Coupled (L2) decay.
    var decoupledWeightDecay: Bool { false }

    public func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        let moments = AdamMoments(self)
        let (p, g, m, t) = moments.composedMoments(value, gradient: gradient, state: &state)
        let u = moments.composedInfinityNorm(g, state: &state)
        return p + m * -(lr / (1 - pow(beta1, t))) / u
    }
}

extension Adamax: FusedUpdateRule {
    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState) {
        AdamMoments(self).step(step, state: &state, secondMoment: \.expInf) { k, t, _ in
            let negCLR = Float(-(lr / (1 - pow(beta1, t))))
            let out = k.out
            @inline(__always) func vector(_ i: Int, _ limit: Int) {
                let (pi, _, mi, ui) = k.infinityNormMoments(i, limit)
                store(pi + negCLR * mi / ui, out, i, limit)
            }
            FusedLoop.forEachChunk(k.count) { range in FusedLoop.vectors(range, vector) }
        }
    }
}
