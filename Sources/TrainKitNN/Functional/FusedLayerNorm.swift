import CTrainKitKernels
import TrainKitCore

/// Normalises each row of `x` viewed as `[M, D]` in one recorded op: `y = (x - μ)·r·w + b` with
/// `μ`, `r = 1/√(σ² + ε)` per row (biased variance), `w`, `b` optional `[D]`. Two passes forward (mean,
/// then variance and output), two backward:
/// `dx = r·(dŷ - mean(dŷ) - x̂·mean(dŷ·x̂))` with `dŷ = dy·w`, `dw = Σ_rows dy·x̂`, `db = Σ_rows dy`.
/// The loops are the C kernels of `tk_norm.h` (rows split across the pool).
/// ``referenceLayerNorm(_:dims:weight:bias:eps:)`` is the composite it is tested against.
func fusedRowNorm(_ x: Tensor, width d: Int, weight: Tensor?, bias: Tensor?, eps: Double) -> Tensor {
    precondition(d > 0 && x.count % d == 0, "layerNorm: \(x.count) elements do not split into rows of \(d)")
    let rows = x.count / d, dtype = x.dtype
    let input = x.detach().contiguous()
    let w = weight?.detach().to(dtype).contiguous(), b = bias?.detach().to(dtype).contiguous()
    let y = Tensor._uninitialized(x.shape, dtype: dtype)  // the kernels write every element
    let stats = Tensor._uninitialized([rows, 2], dtype: dtype)  // mean, rstd per row

    if dtype == .float64 {
        tk_layer_norm_f64(Int64(rows), Int64(d), input.freshPointer(Double.self), w?.freshPointer(Double.self),
                          b?.freshPointer(Double.self), eps, y.freshPointer(Double.self),
                          stats.freshPointer(Double.self))
    } else {
        tk_layer_norm_f32(Int64(rows), Int64(d), input.freshPointer(Float.self), w?.freshPointer(Float.self),
                          b?.freshPointer(Float.self), eps, y.freshPointer(Float.self), stats.freshPointer(Float.self))
    }

    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    return Tensor.record(y, op: "layer_norm", inputs: inputs) { grad, _ in
        let g = grad.contiguous()
        let dx = Tensor._uninitialized(x.shape, dtype: dtype)
        let dw = Tensor._uninitialized([d], dtype: dtype), db = Tensor._uninitialized([d], dtype: dtype)
        if dtype == .float64 {
            tk_layer_norm_backward_f64(Int64(rows), Int64(d), input.freshPointer(Double.self),
                                       w?.freshPointer(Double.self), stats.freshPointer(Double.self),
                                       g.freshPointer(Double.self), dx.freshPointer(Double.self),
                                       dw.freshPointer(Double.self), db.freshPointer(Double.self))
        } else {
            tk_layer_norm_backward_f32(Int64(rows), Int64(d), input.freshPointer(Float.self),
                                       w?.freshPointer(Float.self), stats.freshPointer(Float.self),
                                       g.freshPointer(Float.self), dx.freshPointer(Float.self),
                                       dw.freshPointer(Float.self), db.freshPointer(Float.self))
        }
        var grads: [Tensor?] = [dx]
        if let weight { grads.append(dw.reshape(weight.shape)) }
        if let bias { grads.append(db.reshape(bias.shape)) }
        return grads
    }
}

/// Layer norm over `dims` as Tensor ops: the readable reference for ``fusedRowNorm``.
func referenceLayerNorm(_ input: Tensor, dims: [Int], weight: Tensor?, bias: Tensor?, eps: Double) -> Tensor {
    let mean = input.mean(dims, keepDim: true)
    let centered = input - mean
    let variance = centered.square().mean(dims, keepDim: true)
    var y = centered * (variance + eps).sqrt().reciprocal()
    if let weight { y = y * weight }
    if let bias { y = y + bias }
    return y
}
