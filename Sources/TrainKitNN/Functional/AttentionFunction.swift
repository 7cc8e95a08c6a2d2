import TrainKitCore

/// Scaled dot-product attention: `softmax(q·kᵀ·scale + mask) · v` over the key dimension.
///
/// Shapes: query `[*, L, E]`, key `[*, S, E]`, value `[*, S, Ev]` → `[*, L, Ev]` (batch dims broadcast).
/// `scale` defaults to `1/√E`. `attentionMask` broadcasts to `[*, L, S]`: a **bool** mask marks positions
/// to **ignore** with `true` (MultiheadAttention's convention; PyTorch's SDPA uses the opposite), a float
/// mask is added to the scores. `isCausal` lets query `i` see keys `0...i` only. With `dropout > 0` the
/// attention weights are dropped (training only; pass `training: false` to switch it off).
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, attentionMask: Tensor? = nil,
                                      isCausal: Bool = false, scale: Double? = nil, dropout p: Double = 0,
                                      training: Bool = true, randomKey: RandomKey? = nil) -> Tensor {
    precondition(query.rank >= 2 && key.rank >= 2 && value.rank >= 2 && query.shape.last == key.shape.last
                 && key.shape[key.rank - 2] == value.shape[value.rank - 2],
                 "scaledDotProductAttention: query \(query.shape), key \(key.shape), value \(value.shape) are not [*, L, E], [*, S, E], [*, S, Ev]")
    let e = query.shape[query.rank - 1]
    let l = query.shape[query.rank - 2], s = key.shape[key.rank - 2]
    var scores = query.matmul(key.T) * (scale ?? 1 / Double(e).squareRoot())
    if let mask = additiveMask(attentionMask, isCausal: isCausal, l: l, s: s, dtype: scores.dtype,
                               device: scores.device) {
        scores = scores + mask
    }
    var weights = scores.softmax(-1)
    if p > 0 && training { weights = dropout(weights, p: p, training: true, key: randomKey) }
    return weights.matmul(value)
}

/// A float mask to add to attention scores: `-∞` where a bool mask is true (or above the diagonal when
/// causal), float masks as given; nil when there is nothing to mask. Made on `device` (the scores').
func additiveMask(_ mask: Tensor?, isCausal: Bool, l: Int, s: Int, dtype: DType, device: Device) -> Tensor? {
    var result: Tensor? = nil
    if let mask {
        result = mask.dtype == .bool
            ? Tensor.zeros([], dtype: dtype, device: device).expand(mask.shape).maskedFill(mask, with: -.infinity)
            : mask.to(dtype)
    }
    if isCausal {
        // Key j is blocked for query i when j > i (a constant of the shape, built once on the host).
        var blocked = [Bool](repeating: false, count: l * s)
        for i in 0..<l { for j in 0..<s where j > i { blocked[i * s + j] = true } }
        let causal = Tensor.zeros([l, s], dtype: dtype, device: device)
            .maskedFill(Tensor(blocked, shape: [l, s], device: device), with: -.infinity)
        result = result.map { $0 + causal } ?? causal
    }
    return result
}
