import TrainKitCore

/// Binary cross-entropy on probabilities: `ℓ = -w·(y·log x + (1-y)·log(1-x))`, each log clamped at
/// -100 as in PyTorch. Shapes: probabilities and targets alike; `weight` broadcasts to them.
public func binaryCrossEntropy(probabilities: Tensor, targets: Tensor, weight: Tensor? = nil,
                               reduction: Reduction = .mean) -> Tensor {
    checkSameShape("binaryCrossEntropy", probabilities, targets)
    let logX = probabilities.log().clamp(min: -100)
    let log1mX = (1 - probabilities).log().clamp(min: -100)
    var loss = -(targets * logX + (1 - targets) * log1mX)
    if let weight { loss = loss * weight.detach() }
    return reduction.apply(loss)
}

/// Binary cross-entropy on logits, computed stably:
/// `ℓ = -w·(pw·y·log σ(x) + (1-y)·log(1-σ(x))) = w·((1-y)·x + (1 + (pw-1)·y)·softplus(-x))`.
///
/// Shapes: logits and targets alike; `weight` broadcasts to them, `positiveWeight` (`pos_weight`,
/// typically `[C]`) along the last dimension.
public func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, weight: Tensor? = nil,
                                         positiveWeight: Tensor? = nil, reduction: Reduction = .mean) -> Tensor {
    checkSameShape("binaryCrossEntropyWithLogits", logits, targets)
    let softplusNeg = (-logits).softplus()
    var loss: Tensor
    if let positiveWeight {
        let logWeight = (positiveWeight.detach() - 1) * targets + 1
        loss = (1 - targets) * logits + logWeight * softplusNeg
    } else {
        loss = (1 - targets) * logits + softplusNeg
    }
    if let weight { loss = loss * weight.detach() }
    return reduction.apply(loss)
}
