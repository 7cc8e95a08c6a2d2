import TrainKitCore

/// The mean of the embeddings of each row's tokens, skipping padding (PyTorch's `EmbeddingBag(mode="mean",
/// padding_idx=0)`): `y[b] = (1/n_b) Σ_{l: ids[b,l] ≠ 0} weight[ids[b,l]]`, zeros for a row of padding only.
///
/// Shapes: int64 ids `[B, L]` → `[B, D]`. `weight` is `[V, D]` from `N(0, 0.1²)` with row 0 zero. Composed
/// on the ids' device: the rows are looked up with `indexSelect` (`[B, L, D]`) and averaged by one batched
/// product with the weights `[ids ≠ 0] / n_b`; autograd scatters the gradient back (padding gets none).
public final class EmbeddingBag: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter

    public init(_ count: Int, _ dimension: Int) {
        let w = Tensor.normal([count, dimension], key: Random.nextKey()) * 0.1
        let isPadding = (Tensor.arange(0, Double(count)) .== 0).unsqueeze(1)  // [V, 1]: row 0
        weight = Parameter(w.maskedFill(isPadding, with: 0))
    }

    public func forward(_ ids: Tensor) -> Tensor {
        precondition(ids.rank == 2 && ids.dtype == .int64, inputShapeMessage(expected: "int64 [B, L]", got: ids.shape))
        let (b, l) = (ids.shape[0], ids.shape[1])
        let w = weight.value
        let rows = w.indexSelect(0, ids.reshape([b * l])).reshape([b, l, w.shape[1]])  // [B, L, D]
        let present = (ids .!= 0).to(w.dtype)  // [B, L]
        let counts = present.sum(1, keepDim: true).clamp(min: 1)  // [B, 1]; a row of padding only gets 0
        return (present / counts).unsqueeze(1).bmm(rows).squeeze(1)  // [B, D]
    }
}
