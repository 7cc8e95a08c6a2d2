import TrainKitCore

/// The position in `parameters` of the first parameter whose gradient holds a NaN or an infinity, or nil when
/// every gradient is finite (parameters without a gradient count as finite).
///
/// Each gradient is reduced on its device to `Σ g·0`, which is 0 when every element is finite and NaN otherwise
/// (∞·0 = NaN); the per-gradient results are stacked and read to the host once.
///
/// ```swift
/// loss.backward()
/// if let bad = firstNonfiniteGradient(parameters) { print("gradient \(bad) is not finite") }
/// ```
public func firstNonfiniteGradient(_ parameters: [Parameter]) -> Int? {
    let indexed = parameters.enumerated().compactMap { index, parameter in parameter.grad.map { (index, $0) } }
    guard !indexed.isEmpty else { return nil }
    let flags = noGrad {
        Tensor.stack(indexed.map { _, gradient in (gradient.detach() * 0).sum().to(.float64) }).toArray(as: Double.self)
    }
    return flags.firstIndex { !$0.isFinite }.map { indexed[$0].0 }
}
