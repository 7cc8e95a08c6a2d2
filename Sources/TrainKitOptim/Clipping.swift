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
///
/// - Parameters:
///   - parameters: the parameters whose `grad` is clipped (float32 gradients).
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
    // Per-tensor norms, then the norm of the norms (PyTorch's order), accumulated in Double.
    var norms: [Double] = []
    for (_, gradient) in gradients {
        precondition(gradient.dtype == .float32, "clipGradNorm: gradient is \(gradient.dtype), not float32")
        norms.append(gradient.withUnsafeBufferPointer(as: Float.self) { vectorNorm($0, normType) })
    }
    let total = norms.withUnsafeBufferPointer { vectorNorm($0, normType) }
    if errorIfNonfinite && !total.isFinite {
        throw GradientClippingError.nonfiniteNorm(totalNorm: total, normType: normType)
    }
    let coefficient = maxNorm / (total + 1e-6)
    if !(coefficient >= 1) {  // NaN also scales, as PyTorch's clamp(max: 1) passes NaN through
        let scale = Float(coefficient)
        for (parameter, gradient) in gradients {
            parameter.grad = gradient.withUnsafeBufferPointer(as: Float.self) { g in
                Tensor.make(shape: gradient.shape, as: Float.self) { out in
                    for i in 0..<g.count { out[i] = g[i] * scale }
                }
            }
        }
    }
    return total
}

/// Clamps every gradient element to `[-clipValue, clipValue]` (PyTorch `clip_grad_value_`). Parameters without a
/// gradient are skipped.
///
/// ```swift
/// clipGradValue(parameters, clipValue: 0.5)
/// ```
public func clipGradValue(_ parameters: [Parameter], clipValue: Double) {
    precondition(clipValue >= 0, "clipGradValue: clipValue must be >= 0, got \(clipValue)")
    let high = Float(clipValue)
    let low = -high
    for parameter in parameters {
        guard let gradient = parameter.grad else { continue }
        precondition(gradient.dtype == .float32, "clipGradValue: gradient is \(gradient.dtype), not float32")
        parameter.grad = gradient.withUnsafeBufferPointer(as: Float.self) { g in
            Tensor.make(shape: gradient.shape, as: Float.self) { out in
                for i in 0..<g.count {
                    let x = g[i]
                    out[i] = x.isNaN ? x : Swift.min(Swift.max(x, low), high)
                }
            }
        }
    }
}

/// The `p`-norm of `values` in Double (p = .infinity: max |x|; NaN propagates).
private func vectorNorm<T: BinaryFloatingPoint>(_ values: UnsafeBufferPointer<T>, _ p: Double) -> Double {
    if p == .infinity {
        var largest = 0.0
        for x in values {
            let a = Swift.abs(Double(x))
            if a.isNaN { return .nan }
            largest = Swift.max(largest, a)
        }
        return largest
    }
    var sum = 0.0
    if p == 2 {
        for x in values { sum += Double(x) * Double(x) }
        return sum.squareRoot()
    }
    if p == 1 {
        for x in values { sum += Swift.abs(Double(x)) }
        return sum
    }
    for x in values { sum += pow(Swift.abs(Double(x)), p) }
    return pow(sum, 1 / p)
}
