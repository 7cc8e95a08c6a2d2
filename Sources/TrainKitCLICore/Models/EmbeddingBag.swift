import TrainKit

/// The mean of the embeddings of each row's tokens, skipping padding (PyTorch's `EmbeddingBag(mode="mean",
/// padding_idx=0)`): `y[b] = (1/n_b) Σ_{l: ids[b,l] ≠ 0} weight[ids[b,l]]`, zeros for a row of padding only.
///
/// Shapes: int64 ids `[B, L]` → `[B, D]`. `weight` is `[V, D]` from `N(0, 0.1²)` with row 0 zero. One fused
/// pass forward and one scatter backward (no `[B, L, D]` intermediate).
public final class EmbeddingBag: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter

    public init(_ count: Int, _ dimension: Int) {
        var w = (Tensor.normal([count, dimension], key: Random.nextKey()) * 0.1).toArray()
        for j in 0..<dimension { w[j] = 0 }
        weight = Parameter(Tensor(w, shape: [count, dimension]))
    }

    public func callAsFunction(_ ids: Tensor) -> Tensor {
        precondition(ids.rank == 2 && ids.dtype == .int64, inputShapeMessage(expected: "int64 [B, L]", got: ids.shape))
        let (b, l) = (ids.shape[0], ids.shape[1])
        let (v, d) = (weight.shape[0], weight.shape[1])
        let tokens = ids.toArray(as: Int64.self)
        for t in tokens { precondition(t >= 0 && t < Int64(v), "EmbeddingBag: token id \(t) out of range for \(v) rows") }
        var counts = [Float](repeating: 0, count: b)
        for r in 0..<b { for k in 0..<l where tokens[r * l + k] != 0 { counts[r] += 1 } }
        let w = weight.value
        let out = w.withUnsafeBufferPointer(as: Float.self) { table in
            Tensor.make(shape: [b, d], as: Float.self) { y in
                y.update(repeating: 0)
                for r in 0..<b where counts[r] > 0 {
                    let row = y.baseAddress! + r * d
                    for k in 0..<l {
                        let t = Int(tokens[r * l + k])
                        if t == 0 { continue }
                        let src = table.baseAddress! + t * d
                        for j in 0..<d { row[j] += src[j] }
                    }
                    let scale = 1 / counts[r]
                    for j in 0..<d { row[j] *= scale }
                }
            }
        }
        return Tensor.record(out, op: "embedding_bag", inputs: [w]) { grad, _ in
            let g = grad.contiguous()
            let gw = g.withUnsafeBufferPointer(as: Float.self) { gy in
                Tensor.make(shape: [v, d], as: Float.self) { gw in
                    gw.update(repeating: 0)
                    for r in 0..<b where counts[r] > 0 {
                        let scale = 1 / counts[r]
                        let src = gy.baseAddress! + r * d
                        for k in 0..<l {
                            let t = Int(tokens[r * l + k])
                            if t == 0 { continue }
                            let dst = gw.baseAddress! + t * d
                            for j in 0..<d { dst[j] += src[j] * scale }
                        }
                    }
                }
            }
            return [gw]
        }
    }
}
