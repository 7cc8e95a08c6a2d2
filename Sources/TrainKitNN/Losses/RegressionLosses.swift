import TrainKitCore

/// Mean squared error: `ℓ = (x - y)²` per element, then reduced.
///
/// Shapes: predictions and targets alike, any shape; the result is 0-d unless `reduction` is `.none`.
public func mseLoss(predictions: Tensor, targets: Tensor, reduction: Reduction = .mean) -> Tensor {
    checkSameShape("mseLoss", predictions, targets)
    return reduction.apply((predictions - targets).square())
}

/// Mean absolute error: `ℓ = |x - y|` per element, then reduced.
public func l1Loss(predictions: Tensor, targets: Tensor, reduction: Reduction = .mean) -> Tensor {
    checkSameShape("l1Loss", predictions, targets)
    return reduction.apply((predictions - targets).abs())
}

/// Smooth L1: with `d = x - y`, `ℓ = 0.5 d² / β` where `|d| < β`, else `|d| - 0.5 β` (`β = 0` gives L1).
public func smoothL1Loss(predictions: Tensor, targets: Tensor, beta: Double = 1, reduction: Reduction = .mean) -> Tensor {
    checkSameShape("smoothL1Loss", predictions, targets)
    precondition(beta >= 0, "smoothL1Loss: beta must be >= 0, got \(beta)")
    let d = predictions - targets
    let a = d.abs()
    if beta == 0 { return reduction.apply(a) }
    let loss = Tensor.where(a .< beta, d.square() * (0.5 / beta), a - 0.5 * beta)
    return reduction.apply(loss)
}

/// Huber: with `d = x - y`, `ℓ = 0.5 d²` where `|d| < δ`, else `δ (|d| - 0.5 δ)`.
public func huberLoss(predictions: Tensor, targets: Tensor, delta: Double = 1, reduction: Reduction = .mean) -> Tensor {
    checkSameShape("huberLoss", predictions, targets)
    precondition(delta > 0, "huberLoss: delta must be > 0, got \(delta)")
    let d = predictions - targets
    let a = d.abs()
    let loss = Tensor.where(a .< delta, d.square() * 0.5, (a - 0.5 * delta) * delta)
    return reduction.apply(loss)
}
