import Foundation
import TrainKitCore

/// A diagonal Gaussian squashed by `tanh` (SB3's `SquashedDiagGaussianDistribution`, SAC's actor):
/// `u ~ N(μ, diag(σ²))`, `a = tanh(u) ∈ (−1, 1)ᵈ`.
///
/// By the change of variables, with SB3's `ε = 1e-6` keeping the logarithm finite at `|a| = 1`:
///
///     log π(a) = Σᵢ [−(uᵢ − μᵢ)² / (2σᵢ²) − log σᵢ − ½ log 2π] − Σᵢ log(1 − tanh(uᵢ)² + ε)
///
/// Tensor side: means, `logStd` and Gaussian actions `u`, all `[B, d]` → `[B]`.
public enum SquashedDiagonalGaussian {
    /// SB3's `epsilon` in the tanh correction.
    public static let epsilon = 1e-6

    /// `log π(tanh(u) | s)` per row from the pre-squash actions `u`: `[B, d]` ×3 → `[B]`.
    public static func logProb(means: Tensor, logStd: Tensor, gaussianActions u: Tensor) -> Tensor {
        let z = (u - means) * (-logStd).exp()
        let gaussian = (z.square() * -0.5 - logStd - DiagonalGaussian.halfLogTwoPi).sum(-1)
        let a = u.tanh()
        return gaussian - ((1 - a.square()) + epsilon).log().sum(-1)
    }

    /// The same in float64 on the host, for one row (tests and checks).
    public static func logProb(means: [Double], logStd: [Double], gaussianActions u: [Double]) -> Double {
        var total = 0.0
        for i in means.indices {
            let z = (u[i] - means[i]) / exp(logStd[i])
            total += -0.5 * z * z - logStd[i] - DiagonalGaussian.halfLogTwoPi
            total -= log(1 - tanh(u[i]) * tanh(u[i]) + epsilon)
        }
        return total
    }

    /// Maps a squashed action in `[−1, 1]` to the box `[low, high]` (SB3's `unscale_action`).
    public static func unscale(_ a: [Double], low: [Double], high: [Double]) -> [Double] {
        a.indices.map { low[$0] + 0.5 * (a[$0] + 1) * (high[$0] - low[$0]) }
    }

    /// Maps an action in `[low, high]` to `[−1, 1]` (SB3's `scale_action`).
    public static func scale(_ a: [Double], low: [Double], high: [Double]) -> [Double] {
        a.indices.map { 2 * (a[$0] - low[$0]) / (high[$0] - low[$0]) - 1 }
    }
}
