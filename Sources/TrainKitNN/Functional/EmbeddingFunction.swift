import TrainKitCore

/// Looks up rows of `weight` (PyTorch's `F.embedding`): `y[…, :] = weight[index[…], :]`.
///
/// Shapes: weight `[V, D]`, index int of any shape → `index.shape + [D]`. Gradients of repeated indices
/// add up; with `paddingIndex`, that row is returned as stored but gets no gradient. Composed: `indexSelect`
/// of the flattened index (the backend checks its range on the device), then, with a padding row, a `where`
/// that takes the padded positions from the detached rows so no gradient reaches them.
public func embedding(_ index: Tensor, weight: Tensor, paddingIndex: Int? = nil) -> Tensor {
    precondition(weight.rank == 2, "embedding: weight must be [V, D], got \(weight.shape)")
    precondition(!index.dtype.isFloatingPoint && index.dtype != .bool, "embedding: index must be int, got \(index.dtype)")
    let (v, d) = (weight.shape[0], weight.shape[1])
    let flat = index.reshape([-1])
    var rows = weight.indexSelect(0, flat)  // [count, D]
    if let paddingIndex {
        let pad = paddingIndex < 0 ? paddingIndex + v : paddingIndex
        let isPad = (flat .== Double(pad)).unsqueeze(1)  // [count, 1]
        rows = Tensor.where(isPad, rows.detach(), rows)
    }
    return rows.reshape(index.shape + [d])
}
