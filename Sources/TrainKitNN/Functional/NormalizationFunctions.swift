import TrainKitCore

/// Batch normalisation (PyTorch's `F.batch_norm`).
///
/// Training (or without running statistics): `y = (x - μ) / √(σ² + ε) · weight + bias` with `μ`, `σ²` the
/// mean and **biased** variance over every dimension except 1; the running statistics, when given, come
/// back updated: `running = (1 - momentum)·running + momentum·stat`, using the **unbiased** variance
/// (`σ²·n/(n-1)`). Evaluation: the running statistics normalise instead.
///
/// Shapes: input `[N, C, *]`, weight/bias/running stats `[C]`.
public func batchNorm(_ input: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor? = nil,
                      bias: Tensor? = nil, training: Bool, momentum: Double = 0.1, eps: Double = 1e-5)
    -> (output: Tensor, runningMean: Tensor?, runningVar: Tensor?)
{
    precondition(input.rank >= 2, "batchNorm: input must be [N, C, *], got \(input.shape)")
    let c = input.shape[1]
    for (name, t) in [("weight", weight), ("bias", bias), ("runningMean", runningMean), ("runningVar", runningVar)] {
        if let t { precondition(t.shape == [c], "batchNorm: \(name) shape \(t.shape), expected [\(c)] for input \(input.shape)") }
    }
    var statShape = [Int](repeating: 1, count: input.rank)
    statShape[1] = c
    let dims = [0] + Array(2..<input.rank)
    var y: Tensor
    var newMean = runningMean, newVar = runningVar
    if training || runningMean == nil || runningVar == nil {
        let n = input.count / Swift.max(c, 1)
        precondition(!training || n > 1, "batchNorm: training needs more than one value per channel, got input \(input.shape)")
        let mean = input.mean(dims, keepDim: true)
        let centered = input - mean
        let variance = centered.square().mean(dims, keepDim: true)
        y = centered * (variance + eps).sqrt().reciprocal()
        if training, let rm = runningMean, let rv = runningVar {
            noGrad {
                let batchMean = mean.detach().reshape([c]).to(rm.dtype)
                let unbiased = (variance.detach().reshape([c]) * (Double(n) / Double(Swift.max(n - 1, 1)))).to(rv.dtype)
                newMean = rm * (1 - momentum) + batchMean * momentum
                newVar = rv * (1 - momentum) + unbiased * momentum
            }
        }
    } else {
        let mean = runningMean!.detach().reshape(statShape).to(input.dtype)
        let variance = runningVar!.detach().reshape(statShape).to(input.dtype)
        y = (input - mean) * (variance + eps).sqrt().reciprocal()
    }
    if let weight { y = y * weight.reshape(statShape) }
    if let bias { y = y + bias.reshape(statShape) }
    return (y, newMean, newVar)
}

/// Layer normalisation (PyTorch's `F.layer_norm`): statistics over the last `normalizedShape.count`
/// dimensions, `y = (x - μ) / √(σ² + ε) · weight + bias` with the biased variance.
///
/// Shapes: input `[*, normalizedShape…]`, weight/bias `normalizedShape`. One fused pass per row
/// (``fusedRowNorm(_:width:weight:bias:eps:)``).
public func layerNorm(_ input: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: Double = 1e-5) -> Tensor {
    let k = normalizedShape.count
    precondition(k >= 1 && input.rank >= k && Array(input.shape.suffix(k)) == normalizedShape,
                 "layerNorm: input \(input.shape) does not end in normalized shape \(normalizedShape)")
    if let weight { precondition(weight.shape == normalizedShape, "layerNorm: weight shape \(weight.shape), expected \(normalizedShape)") }
    if let bias { precondition(bias.shape == normalizedShape, "layerNorm: bias shape \(bias.shape), expected \(normalizedShape)") }
    return fusedRowNorm(input, width: normalizedShape.reduce(1, *), weight: weight, bias: bias, eps: eps)
}

/// Group normalisation (PyTorch's `F.group_norm`): channels split into `numGroups` contiguous groups;
/// statistics (biased variance) per sample and group, then a per-channel affine map.
///
/// Shapes: input `[N, C, *]` with `C` divisible by `numGroups`, weight/bias `[C]`.
public func groupNorm(_ input: Tensor, numGroups: Int, weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: Double = 1e-5) -> Tensor {
    precondition(input.rank >= 2 && numGroups > 0 && input.shape[1] % numGroups == 0,
                 "groupNorm: input \(input.shape) must be [N, C, *] with C divisible by numGroups = \(numGroups)")
    let c = input.shape[1]
    if let weight { precondition(weight.shape == [c], "groupNorm: weight shape \(weight.shape), expected [\(c)]") }
    if let bias { precondition(bias.shape == [c], "groupNorm: bias shape \(bias.shape), expected [\(c)]") }
    let grouped = input.reshape([input.shape[0] * numGroups, -1])
    var y = fusedRowNorm(grouped, width: grouped.shape[1], weight: nil, bias: nil, eps: eps).reshape(input.shape)
    var affineShape = [Int](repeating: 1, count: input.rank)
    affineShape[1] = c
    if let weight { y = y * weight.reshape(affineShape) }
    if let bias { y = y + bias.reshape(affineShape) }
    return y
}
