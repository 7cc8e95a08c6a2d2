import TrainKitCore

/// Looks up rows of `weight` (PyTorch's `F.embedding`): `y[…, :] = weight[index[…], :]`.
///
/// Shapes: weight `[V, D]`, index int of any shape → `index.shape + [D]`. Gradients of repeated indices
/// add up; with `paddingIndex`, that row is returned as stored but gets no gradient.
public func embedding(_ index: Tensor, weight: Tensor, paddingIndex: Int? = nil) -> Tensor {
    precondition(weight.rank == 2, "embedding: weight must be [V, D], got \(weight.shape)")
    precondition(!index.dtype.isFloatingPoint && index.dtype != .bool, "embedding: index must be int, got \(index.dtype)")
    let (v, d) = (weight.shape[0], weight.shape[1])
    let ids = index.toArray(as: Int64.self)
    for i in ids { precondition(i >= 0 && i < Int64(v), "embedding: index \(i) out of range for \(v) rows") }
    let pad = paddingIndex.map { $0 < 0 ? $0 + v : $0 }
    func run<T: NNFloat>(_: T.Type) -> Tensor {
        weight.withElements(T.self) { w in
            Tensor.filled(index.shape + [d], T.self) { out in
                for (k, i) in ids.enumerated() { (out + k * d).update(from: w + Int(i) * d, count: d) }
            }
        }
    }
    let out = weight.dtype == .float64 ? run(Double.self) : run(Float.self)
    return Tensor.record(out, op: "embedding", inputs: [weight]) { grad, _ in
        func back<T: NNFloat>(_: T.Type) -> Tensor {
            grad.withElements(T.self) { g in
                Tensor.filled([v, d], T.self) { gw in
                    for (k, i) in ids.enumerated() where Int(i) != pad {
                        let row = gw + Int(i) * d, src = g + k * d
                        for j in 0..<d { row[j] += src[j] }
                    }
                }
            }
        }
        return [grad.dtype == .float64 ? back(Double.self) : back(Float.self)]
    }
}
