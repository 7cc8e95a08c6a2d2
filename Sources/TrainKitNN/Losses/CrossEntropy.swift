import TrainKitCore

/// Cross-entropy between logits and class targets, as PyTorch's `F.cross_entropy`.
///
/// With `logp = logSoftmax(logits, dim 1)`, `w` the class weights (ones when `nil`), `C` classes and
/// `ε = labelSmoothing`:
/// - **class indices** (int targets `[N]` or `[N, d…]`): per element `nll = -w[t]·logp[t]`,
///   `smooth = -Σ_c w[c]·logp[c]`, both 0 where `t == ignoreIndex`; `ℓ = (1-ε)·nll + (ε/C)·smooth`.
///   `.mean` divides the sum by `Σ w[t]` over the elements not ignored.
/// - **probabilities** (float targets shaped like `logits`): `p' = (1-ε)·p + ε/C`,
///   `ℓ = -Σ_c w[c]·p'[c]·logp[c]`; `.mean` divides by the number of elements (`N·d…`).
///
/// Shapes: logits `[N, C]` or `[N, C, d…]` (class dimension 1); `.none` gives `[N]` / `[N, d…]`.
/// Log-softmax and the pick of the target class are fused into one pass each.
///
/// ```swift
/// let loss = crossEntropy(logits: model(x), targets: labels)   // labels: int64 [N]
/// ```
public func crossEntropy(logits: Tensor, targets: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                         labelSmoothing: Double = 0, reduction: Reduction = .mean) -> Tensor {
    precondition(logits.rank >= 2, "crossEntropy: logits must be [N, C] or [N, C, d...], got \(logits.shape)")
    precondition((0...1).contains(labelSmoothing), "crossEntropy: labelSmoothing must be in [0, 1], got \(labelSmoothing)")
    let (logp, rowShape) = classesLast(logits.logSoftmax(1))
    if targets.dtype.isFloatingPoint {
        precondition(targets.shape == logits.shape,
                     "crossEntropy: probability targets shape \(targets.shape) differs from logits shape \(logits.shape)")
        let c = Double(logits.shape[1])
        var p = classesLast(targets).tensor
        if labelSmoothing > 0 { p = p * (1 - labelSmoothing) + labelSmoothing / c }
        var weighted = logp
        if let weight { weighted = logp * classWeights(weight, classes: logits.shape[1], dtype: logp.dtype) }
        let loss = -(weighted * p).sum(1)
        return reduction.apply(loss.reshape(rowShape))
    }
    return classIndexLoss(logp: logp, rowShape: rowShape, targets: targets, weight: weight, ignoreIndex: ignoreIndex,
                          smoothing: labelSmoothing, reduction: reduction, op: "crossEntropy")
}

/// Negative log-likelihood of class targets given log-probabilities (PyTorch's `F.nll_loss`):
/// `ℓ = -w[t]·input[t]`, 0 where `t == ignoreIndex`; `.mean` divides by `Σ w[t]` over the elements not
/// ignored. Shapes: input `[N, C]` or `[N, C, d…]`, targets int `[N]` / `[N, d…]`.
public func nllLoss(logProbabilities: Tensor, targets: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: Reduction = .mean) -> Tensor {
    precondition(logProbabilities.rank >= 2,
                 "nllLoss: input must be [N, C] or [N, C, d...], got \(logProbabilities.shape)")
    let (logp, rowShape) = classesLast(logProbabilities)
    return classIndexLoss(logp: logp, rowShape: rowShape, targets: targets, weight: weight, ignoreIndex: ignoreIndex,
                          smoothing: 0, reduction: reduction, op: "nllLoss")
}

/// `[N, C, d…]` viewed as rows `[N·d…, C]`, with the per-row shape `[N, d…]`.
func classesLast(_ x: Tensor) -> (tensor: Tensor, rowShape: [Int]) {
    let c = x.shape[1]
    let rowShape = [x.shape[0]] + Array(x.shape.dropFirst(2))
    if x.rank == 2 { return (x, rowShape) }
    let order = [0] + Array(2..<x.rank) + [1]
    return (x.permute(order).reshape([-1, c]), rowShape)
}

func classWeights(_ weight: Tensor, classes: Int, dtype: DType) -> Tensor {
    precondition(weight.shape == [classes], "loss: class weight shape \(weight.shape), expected [\(classes)]")
    return weight.detach().to(dtype).reshape([1, classes])
}

/// Shared body of cross-entropy with class indices and NLL: `logp` is `[M, C]`, `targets` int `[M]`-shaped.
///
/// Everything stays on the device: the target column is picked with `gather` (which stops with a named error
/// on a target outside `0..<C`), ignored elements pick column 0 and are zeroed by the `kept` mask, and class
/// weights are looked up with `indexSelect`. Datasets are checked once, before training (the trainer's label
/// validation), not here.
func classIndexLoss(logp: Tensor, rowShape: [Int], targets: Tensor, weight: Tensor?, ignoreIndex: Int,
                    smoothing: Double, reduction: Reduction, op: StaticString) -> Tensor {
    precondition(!targets.dtype.isFloatingPoint && targets.dtype != .bool,
                 "\(op): class targets must be int32/int64, got \(targets.dtype)")
    precondition(targets.shape == rowShape, "\(op): targets shape \(targets.shape), expected \(rowShape) for this input")
    let (rows, classes, dtype) = (logp.shape[0], logp.shape[1], logp.dtype)
    if let weight {
        precondition(weight.shape == [classes], "\(op): class weight shape \(weight.shape), expected [\(classes)]")
    }
    let labels = targets.reshape([rows])
    let kept = labels .!= ignoreIndex  // bool [M]
    let picks = labels * kept  // ignored elements pick class 0; their terms are zeroed below
    let keptMask = kept.to(dtype)
    // w[t] (1 without weights), 0 where ignored: [M].
    let targetWeight = weight.map { $0.detach().to(dtype).indexSelect(0, picks) * keptMask } ?? keptMask
    let picked = logp.gather(1, picks.reshape([rows, 1])).reshape([rows])
    var loss = -(picked * targetWeight)
    if smoothing > 0 {
        let weighted = weight.map { logp * classWeights($0, classes: classes, dtype: dtype) } ?? logp
        let smooth = -weighted.sum(1) * keptMask
        loss = loss * (1 - smoothing) + smooth * (smoothing / Double(classes))
    }
    switch reduction {
    case .none: return loss.reshape(rowShape)
    case .sum: return loss.sum()
    case .mean: return loss.sum() / targetWeight.sum()
    }
}
