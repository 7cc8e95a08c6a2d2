import TrainKitCore

/// Adam with bias correction, optional AMSGrad and L2 weight decay (PyTorch `torch.optim.Adam`).
///
/// With γ = `lr`, (β1, β2) = `betas`, ε = `eps`, λ = `weightDecay`, per step t (from 1):
/// ```
/// g ← g + λθ                                        (L2, coupled; AdamW decouples it)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// v̂ ← max(v̂, v) with AMSGrad, else v̂ = v          (max over the raw second moment)
/// θ ← θ − (γ / (1 − β1ᵗ)) · m / (sqrt(v̂) / sqrt(1 − β2ᵗ) + ε)
/// ```
/// ε is added after bias-correcting sqrt(v), in this order (the order changes the last bits).
/// State (`ParameterState`): `expAvg` (m, `exp_avg`), `expAvgSq` (v, `exp_avg_sq`), `maxExpAvgSq` (AMSGrad,
/// `max_exp_avg_sq`).
///
/// - Parameters:
///   - lr: learning rate γ.
///   - betas: decay rates (β1, β2) of the first and second moments.
///   - eps: ε, added to the denominator.
///   - weightDecay: λ, L2 penalty added to the gradient.
///   - amsgrad: use the running maximum of the second moment.
///
/// ```swift
/// let optimizer = Optimizer(Adam(lr: 1e-3), parameters: parameters)
/// ```
public struct Adam: AdamStepRule {
    /// The rule's name in state dicts.
    public static let name = "adam"
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
    /// Use the running maximum of the second moment (AMSGrad).
    public var amsgrad: Bool

    /// The rule with these hyperparameters; the defaults are PyTorch's. Invalid values (a negative lr,
    /// β ∉ [0, 1), ...) stop with a precondition failure naming the value.
    public init(
        lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false
    ) {
        validateAdamFamily("Adam", lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        self.lr = lr
        (beta1, beta2) = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
    }

    /// (β1, β2).
    public var betas: (Double, Double) {
        get { (beta1, beta2) }
        set { (beta1, beta2) = newValue }
    }

    /// Coupled (L2) decay. The step is `AdamStepRule.update` (AdamStep.swift), shared with `AdamW`.
    var decoupledWeightDecay: Bool { false }
}
