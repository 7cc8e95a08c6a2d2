import Foundation
import TrainKitCore

/// A Gaussian with diagonal covariance, `a ~ N(μ, diag(σ²))`, `σ = exp(log_std)` (SB3's
/// `DiagGaussianDistribution`, state-independent `log_std`).
///
/// Tensor side: means `[B, d]`, `logStd` `[d]`, actions `[B, d]`.
/// - `log π(a) = Σᵢ −(aᵢ − μᵢ)² / (2σᵢ²) − log σᵢ − ½ log 2π` → `[B]`
/// - `H = Σᵢ ½ + ½ log 2π + log σᵢ` → `[B]` (the same for every row)
public enum DiagonalGaussian {
    static let halfLogTwoPi = 0.5 * log(2 * Double.pi)

    /// `log π(a | s)` per row: `[B, d]`, `[d]`, `[B, d]` → `[B]`.
    public static func logProb(means: Tensor, logStd: Tensor, actions: Tensor) -> Tensor {
        let z = (actions - means) * (-logStd).exp()
        return (z.square() * -0.5 - logStd - halfLogTwoPi).sum(-1)
    }

    /// Entropy per row: `[d]` → `[B]`.
    public static func entropy(logStd: Tensor, batch: Int) -> Tensor {
        (logStd + (0.5 + halfLogTwoPi)).sum().reshape([1]).expand([batch])
    }

    /// Draws `μ + σ · ε` for one row; returns the action with its log-probability.
    public static func sample(means: ArraySlice<Float>, logStd: [Float], using rng: inout AgentRandom)
        -> (action: [Double], logProb: Double)
    {
        var action: [Double] = [], logProb = 0.0
        action.reserveCapacity(logStd.count)
        for (i, mu) in means.enumerated() {
            let eps = rng.normal()
            let ls = Double(logStd[i])
            action.append(Double(mu) + exp(ls) * eps)
            logProb += -0.5 * eps * eps - ls - halfLogTwoPi
        }
        return (action, logProb)
    }
}
