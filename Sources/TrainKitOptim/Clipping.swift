import CTrainKitKernels
import Foundation
import TrainKitCore

/// Why gradient clipping refused to run.
public enum GradientClippingError: Error, CustomStringConvertible, Equatable {
    /// The total gradient norm is NaN or infinite (PyTorch's `error_if_nonfinite`); no gradient was changed.
    case nonfiniteNorm(totalNorm: Double, normType: Double)

    public var description: String {
        switch self {
        case .nonfiniteNorm(let total, let normType):
            "clipGradNorm: the total \(normType)-norm of the gradients is \(total); "
                + "pass errorIfNonfinite: false to clip anyway"
        }
    }
}

/// Scales all gradients together so their joint norm is at most `maxNorm` (PyTorch `clip_grad_norm_`).
///
/// The total norm is the `normType`-norm of all gradient elements of all parameters taken as one vector
/// (`.infinity`: the largest |g|); with `coef = maxNorm / (total + 1e-6)`, every gradient is multiplied by `coef`
/// when `coef < 1` and left alone otherwise (never scaled up). Parameters without a gradient are skipped.
/// The norms are tensor reductions in float64 on the gradients' device; only the total is read to the host.
///
/// - Parameters:
///   - parameters: the parameters whose `grad` is clipped (float32 or float64 gradients, on one device).
///   - maxNorm: the largest allowed total norm.
///   - normType: p of the p-norm (> 0), or `.infinity`.
///   - errorIfNonfinite: throw `GradientClippingError.nonfiniteNorm` when the total norm is NaN or infinite
///     (nothing is changed); when false, the gradients are scaled by the NaN/zero coefficient, as PyTorch does.
/// - Returns: the total norm before clipping.
///
/// ```swift
/// loss.backward()
/// let norm = try clipGradNorm(parameters, maxNorm: 1.0)
/// optimizer.step()
/// ```
@discardableResult
public func clipGradNorm(
    _ parameters: [Parameter], maxNorm: Double, normType: Double = 2,
    errorIfNonfinite: Bool = true
) throws -> Double {
    precondition(normType > 0, "clipGradNorm: normType must be > 0 or .infinity, got \(normType)")
    let gradients = parameters.compactMap { parameter -> (Parameter, Tensor)? in
        parameter.grad.map { (parameter, $0) }
    }
    guard !gradients.isEmpty else { return 0 }
    // Per-tensor norms, then the norm of the norms (PyTorch's order), in float64 on the gradients' device; the
    // total is the one value read to the host.
    let total = (normType == 2 ? hostTwoNorm(gradients.map(\.1)) : nil) ?? noGrad {
        let norms = gradients.map { _, gradient in
            precondition(gradient.dtype.isFloatingPoint, "clipGradNorm: gradient is \(gradient.dtype)")
            return vectorNorm(gradient.to(.float64), normType)
        }
        return vectorNorm(Tensor.stack(norms), normType).item()
    }
    if errorIfNonfinite && !total.isFinite {
        throw GradientClippingError.nonfiniteNorm(totalNorm: total, normType: normType)
    }
    let coefficient = maxNorm / (total + 1e-6)
    if !(coefficient >= 1) {  // NaN also scales, as PyTorch's clamp(max: 1) passes NaN through
        for (parameter, gradient) in gradients {
            parameter.grad = noGrad { gradient.detach() * coefficient }
        }
    }
    return total
}

/// The total 2-norm of float32 CPU gradients computed on the host in one pass each (`tk_sum_squares_f32`: each
/// element squared and summed in float64), in PyTorch's order (per-tensor norms, then the norm of the norms); nil
/// when a gradient is of another dtype or device (the tensor path then runs). It equals the float64 tensor
/// reductions up to the order of the additions, and skips their float64 copies of every gradient (DQN's
/// 66k-element step: 2 passes instead of 5 and no allocation).
func hostTwoNorm(_ gradients: [Tensor]) -> Double? {
    guard gradients.allSatisfy({ $0.dtype == .float32 && $0.device == .cpu }) else { return nil }
    var sumOfSquaredNorms = 0.0
    for gradient in gradients {
        let squares = gradient.withUnsafeBufferPointer(as: Float.self) { tk_sum_squares_f32(Int64($0.count), $0.baseAddress) }
        let norm = squares.squareRoot()
        sumOfSquaredNorms += norm * norm
    }
    return sumOfSquaredNorms.squareRoot()
}

/// Clamps every gradient element to `[-clipValue, clipValue]` (PyTorch `clip_grad_value_`); NaN stays NaN.
/// Parameters without a gradient are skipped.
///
/// ```swift
/// clipGradValue(parameters, clipValue: 0.5)
/// ```
public func clipGradValue(_ parameters: [Parameter], clipValue: Double) {
    precondition(clipValue >= 0, "clipGradValue: clipValue must be >= 0, got \(clipValue)")
    for parameter in parameters {
        guard let gradient = parameter.grad else { continue }
        precondition(gradient.dtype.isFloatingPoint, "clipGradValue: gradient is \(gradient.dtype)")
        parameter.grad = noGrad { gradient.detach().clamp(min: -clipValue, max: clipValue) }
    }
}

/// The `p`-norm of all elements of `x` as a 0-d tensor on its device (p = .infinity: max |x|; NaN propagates;
/// 0 for no elements): `(Σ |x|ᵖ)^(1/p)`, with `sqrt(Σ x²)` for p = 2 and `Σ |x|` for p = 1.
func vectorNorm(_ x: Tensor, _ p: Double) -> Tensor {
    guard x.count > 0 else { return Tensor.zeros([], dtype: x.dtype, device: x.device) }
    if p == .infinity {
        // The max reduction skips NaN; a NaN anywhere makes the norm NaN, as in PyTorch.
        let hasNaN = (x .!= x).to(x.dtype).max()
        return Tensor.where(hasNaN .> 0, hasNaN * .nan, x.abs().max())
    }
    if p == 2 { return x.square().sum().sqrt() }
    if p == 1 { return x.abs().sum() }
    return x.abs().pow(p).sum().pow(1 / p)
}
