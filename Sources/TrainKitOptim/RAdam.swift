import Foundation
import TrainKitCore

/// Rectified Adam (PyTorch `torch.optim.RAdam`; Liu et al. 2019): plain momentum SGD while the variance estimate
/// is unreliable, Adam scaled by a rectification term after.
///
/// With γ = `lr`, (β1, β2) = `betas`, ε = `eps`, λ = `weightDecay`, per step t (from 1):
/// ```
/// g ← g + λθ   (or θ ← θ − γλθ when decoupledWeightDecay)
/// m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²;   m̂ = m / (1 − β1ᵗ)
/// ρ∞ = 2/(1 − β2) − 1;   ρₜ = ρ∞ − 2t·β2ᵗ/(1 − β2ᵗ)
/// ρₜ > 5:  r = sqrt((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ));  θ ← θ − m̂·γ·(sqrt(1 − β2ᵗ)/(sqrt(v) + ε))·r
/// else:    θ ← θ − m̂·γ
/// ```
/// State: `exp_avg` (m), `exp_avg_sq` (v).
///
/// - Parameters:
///   - lr: learning rate γ (default 1e-3).
///   - betas: (β1, β2).
///   - eps: ε, added to sqrt(v).
///   - weightDecay: λ.
///   - decoupledWeightDecay: apply λ as AdamW does.
///
/// ```swift
/// let optimizer = Optimizer(RAdam(lr: 1e-3), parameters: parameters)
/// ```
public struct RAdam: AdamFamilyRule {
    /// The rule's name in state dicts.
    public static let name = "radam"
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
    /// Apply the weight decay to the parameter, scaled by lr, as AdamW does.
    public var decoupledWeightDecay: Bool

    /// The rule with these hyperparameters; the defaults are PyTorch's. Invalid values (a negative lr,
    /// β ∉ [0, 1), ...) stop with a precondition failure naming the value.
    public init(
        lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, decoupledWeightDecay: Bool = false
    ) {
        validateAdamFamily("RAdam", lr: lr, betas: betas, eps: eps, weightDecay: weightDecay)
        self.lr = lr
        (beta1, beta2) = betas
        self.eps = eps
        self.weightDecay = weightDecay
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
        AdamMoments(self).step(value, into: newValue, gradient: gradient, state: &state) { k, t, _ in
            let biasCorrection1 = 1 - pow(beta1, t)
            let biasCorrection2 = 1 - pow(beta2, t)
            let rhoInfinity = 2 / (1 - beta2) - 1
            let rho = rhoInfinity - 2 * t * pow(beta2, t) / biasCorrection2
            let rectified = rho > 5.0
            let rect =
                rectified
                ? pow((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho), 0.5) : 1
            let correction1 = Float(biasCorrection1)
            let correction2Sqrt = Float(pow(biasCorrection2, 0.5))
            let learningRate = Float(lr)
            let rectification = Float(rect)
            let (out, epsilon) = (k.out, k.epsilon)
            @inline(__always) func vector(_ i: Int, _ limit: Int) {
                let (pi, _, mi, vi) = k.moments(i, limit)
                var update = mi / correction1 * learningRate
                if rectified {
                    // PyTorch: scalar / tensor is reciprocal(tensor) * scalar.
                    let adaptive = 1 / (squareRoot(vi) + epsilon) * correction2Sqrt
                    update = update * adaptive * rectification
                }
                store(pi - update, out, i, limit)
            }
            FusedLoop.forEachChunk(k.count) { range in FusedLoop.vectors(range, vector) }
        }
    }
}
