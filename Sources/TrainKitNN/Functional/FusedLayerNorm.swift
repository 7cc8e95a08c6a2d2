import TrainKitCore

/// Normalises each row of `x` viewed as `[M, D]`: `y = (x - μ)·r·w + b` with `μ`, `r = 1/√(σ² + ε)` per row
/// (biased variance), `w`, `b` optional `[D]` (any shape of `D` elements).
///
/// One recorded op when the inputs' backend has a fused layer norm (`Backend.fusedLayerNorm`; the CPU's
/// splits rows across threads, two passes forward, two backward):
/// `dx = r·(dŷ - mean(dŷ) - x̂·mean(dŷ·x̂))` with `dŷ = dy·w`, `dw = Σ_rows dy·x̂`, `db = Σ_rows dy`.
/// Otherwise (or with fused kernels switched off, see ``FusedPath``) it is
/// ``composedLayerNorm(_:dims:weight:bias:eps:)``, the composition the fused kernel must match.
func fusedRowNorm(_ x: Tensor, width d: Int, weight: Tensor?, bias: Tensor?, eps: Double) -> Tensor {
    precondition(d > 0 && x.count % d == 0, "layerNorm: \(x.count) elements do not split into rows of \(d)")
    let rows = x.count / d, dtype = x.dtype
    let backend = x.backend
    for t in [weight, bias].compactMap({ $0 }) { _ = Tensor.commonBackend(x, t, op: "layer_norm") }
    guard let kernels = fused(backend.fusedLayerNorm) else {
        return composedLayerNorm(x.reshape([rows, d]), dims: [1], weight: weight?.reshape([d]),
                                 bias: bias?.reshape([d]), eps: eps).reshape(x.shape)
    }
    let input = x.detach().contiguous()
    let w = weight?.detach().to(dtype).contiguous(), b = bias?.detach().to(dtype).contiguous()
    let y = input.uninitializedLike(x.shape)  // the kernels write every element
    let stats = input.uninitializedLike([rows, 2])  // mean, rstd per row
    withExtendedLifetime(b) {
        kernels.forward(dtype, rows: rows, d: d, x: input.address, weight: w?.address, bias: b?.address, eps: eps,
                        y: y.address, stats: stats.address)
    }

    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    return Tensor.record(y, op: "layer_norm", inputs: inputs) { grad, _ in
        let g = grad.contiguous()
        let dx = input.uninitializedLike(x.shape)
        let dw = weight == nil ? nil : input.uninitializedLike([d])
        let db = bias == nil ? nil : input.uninitializedLike([d])
        withExtendedLifetime(g) {
            kernels.backward(dtype, rows: rows, d: d, x: input.address, weight: w?.address, stats: stats.address,
                             g: g.address, dx: dx.address, dw: dw?.address, db: db?.address)
        }
        var grads: [Tensor?] = [dx]
        if let weight, let dw { grads.append(dw.reshape(weight.shape)) }
        if let bias, let db { grads.append(db.reshape(bias.shape)) }
        return grads
    }
}

/// Layer norm over `dims` as Tensor ops, `(x - μ)/√(σ² + ε)·w + b` with the biased variance: the path every
/// backend can run, and the composition ``fusedRowNorm(_:width:weight:bias:eps:)`` is tested against.
func composedLayerNorm(_ input: Tensor, dims: [Int], weight: Tensor?, bias: Tensor?, eps: Double) -> Tensor {
    let mean = input.mean(dims, keepDim: true)
    let centered = input - mean
    let variance = centered.square().mean(dims, keepDim: true)
    var y = centered * (variance + eps).sqrt().reciprocal()
    if let weight { y = y * weight }
    if let bias { y = y + bias }
    return y
}
