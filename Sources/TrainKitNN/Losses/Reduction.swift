import TrainKitCore

/// How a loss turns per-element values into its result: their mean, their sum, or all of them
/// (`none`, same shape as the unreduced loss).
public enum Reduction: Sendable {
    case mean, sum, none

    /// Applies the reduction to per-element losses.
    func apply(_ loss: Tensor) -> Tensor {
        switch self {
        case .mean: loss.mean()
        case .sum: loss.sum()
        case .none: loss
        }
    }
}

/// Checks that a loss got predictions and targets of one shape.
@inline(__always)
func checkSameShape(_ name: StaticString, _ a: Tensor, _ b: Tensor) {
    precondition(a.shape == b.shape, "\(name): predictions shape \(a.shape) differs from targets shape \(b.shape)")
}
