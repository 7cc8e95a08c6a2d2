import TrainKitCore

/// L1 penalty `Σ |w|` over every element of `parameters` (add `λ ·` it to a loss for lasso-style
/// regularisation). Differentiable with respect to each trainable parameter.
public func l1Penalty(_ parameters: [Parameter]) -> Tensor {
    guard let first = parameters.first else { return Tensor(scalar: 0) }
    var total = first.value.abs().sum()
    for p in parameters.dropFirst() { total = total + p.value.abs().sum() }
    return total
}

/// L2 penalty `Σ w²` over every element of `parameters` (`λ/2 ·` it is classic weight decay).
public func l2Penalty(_ parameters: [Parameter]) -> Tensor {
    guard let first = parameters.first else { return Tensor(scalar: 0) }
    var total = first.value.square().sum()
    for p in parameters.dropFirst() { total = total + p.value.square().sum() }
    return total
}
