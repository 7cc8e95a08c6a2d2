import TrainKitCore

/// Adam with decoupled weight decay (PyTorch `torch.optim.AdamW`; Loshchilov & Hutter).
///
/// The decay shrinks the parameter first, scaled by the learning rate, and the Adam step then uses the raw
/// gradient:
/// ```
/// θ ← θ − γλθ
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// v̂ ← max(v̂, v) with AMSGrad, else v̂ = v
/// θ ← θ − (γ / (1 − β1ᵗ)) · m / (sqrt(v̂) / sqrt(1 − β2ᵗ) + ε)
/// ```
/// State (`ParameterState`): `expAvg`, `expAvgSq`, `maxExpAvgSq` (AMSGrad), as Adam. The default λ is 0.01
/// (Adam's is 0).
///
/// - Parameters:
///   - lr: learning rate γ.
///   - betas: decay rates (β1, β2) of the moments.
///   - eps: ε, added to the denominator.
///   - weightDecay: λ, decoupled decay.
///   - amsgrad: use the running maximum of the second moment.
///
/// ```swift
/// let optimizer = Optimizer(AdamW(lr: 3e-4, weightDecay: 0.1), parameters: parameters)
/// ```
public struct AdamW: AdamStepRule {
    /// The rule's name in state dicts.
    public static let name = "adamw"
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
        weightDecay: Double = 1e-2, amsgrad: Bool = false
    ) {
        validateAdamFamily("AdamW", lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
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

    /// Decoupled decay. The step is `AdamStepRule.update` (AdamStep.swift), shared with `Adam`.
    var decoupledWeightDecay: Bool { true }
}
