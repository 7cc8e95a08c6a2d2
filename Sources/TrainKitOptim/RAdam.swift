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
/// State (`ParameterState`): `expAvg` (m, `exp_avg`), `expAvgSq` (v, `exp_avg_sq`).
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

    /// The scalars of step t: 1 − β1ᵗ, sqrt(1 − β2ᵗ), and the rectification r (nil while ρₜ ≤ 5).
    func scalars(_ t: Double) -> (correction1: Double, correction2Sqrt: Double, rectification: Double?) {
        let biasCorrection2 = 1 - pow(beta2, t)
        let rhoInfinity = 2 / (1 - beta2) - 1
        let rho = rhoInfinity - 2 * t * pow(beta2, t) / biasCorrection2
        let rect =
            rho > 5.0
            ? pow((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho), 0.5) : nil
        return (1 - pow(beta1, t), pow(biasCorrection2, 0.5), rect)
    }

    public func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        let moments = AdamMoments(self)
        let (p, g, m, t) = moments.composedMoments(value, gradient: gradient, state: &state)
        let v = moments.composedSecondMoment(g, state: &state)
        let (correction1, correction2Sqrt, rectification) = scalars(t)
        var update = m.divided(by: correction1) * lr
        if let rectification {
            // PyTorch: scalar / tensor is reciprocal(tensor) * scalar.
            let adaptive = (v.sqrt() + eps).reciprocal() * correction2Sqrt
            update = update * adaptive * rectification
        }
        return p - update
    }
}

extension RAdam: FusedUpdateRule {
    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState) {
        AdamMoments(self).step(step, state: &state) { k, t, _ in
            let (c1, c2, rect) = scalars(t)
            let rectified = rect != nil
            let correction1 = Float(c1)
            let correction2Sqrt = Float(c2)
            let learningRate = Float(lr)
            let rectification = Float(rect ?? 1)
            let (out, epsilon) = (k.out, k.epsilon)
            @inline(__always) func vector(_ i: Int, _ limit: Int) {
                let (pi, _, mi, vi) = k.moments(i, limit)
                var update = mi / correction1 * learningRate
                if rectified {
                    let adaptive = 1 / (squareRoot(vi) + epsilon) * correction2Sqrt
                    update = update * adaptive * rectification
                }
                store(pi - update, out, i, limit)
            }
            FusedLoop.forEachChunk(k.count) { range in FusedLoop.vectors(range, vector) }
        }
    }
}
