import TrainKitCore

/// Normalises each row of `x` viewed as `[M, D]` in one recorded op: `y = (x - μ)·r·w + b` with
/// `μ`, `r = 1/√(σ² + ε)` per row (biased variance), `w`, `b` optional `[D]`. Two passes forward (mean,
/// then variance and output), two backward:
/// `dx = r·(dŷ - mean(dŷ) - x̂·mean(dŷ·x̂))` with `dŷ = dy·w`, `dw = Σ_rows dy·x̂`, `db = Σ_rows dy`.
/// ``referenceLayerNorm(_:dims:weight:bias:eps:)`` is the composite it is tested against.
func fusedRowNorm(_ x: Tensor, width d: Int, weight: Tensor?, bias: Tensor?, eps: Double) -> Tensor {
    precondition(d > 0 && x.count % d == 0, "layerNorm: \(x.count) elements do not split into rows of \(d)")
    let rows = x.count / d, dtype = x.dtype
    let input = x.detach().contiguous()
    let w = weight?.detach().to(dtype).contiguous(), b = bias?.detach().to(dtype).contiguous()
    let y = Tensor.zeros(x.shape, dtype: dtype)
    let stats = Tensor.zeros([rows, 2], dtype: dtype)  // mean, rstd per row

    func forward<T: NNFloat>(_: T.Type) {
        let xp = input.freshPointer(T.self), yp = y.freshPointer(T.self), sp = stats.freshPointer(T.self)
        let wp = w?.freshPointer(T.self), bp = b?.freshPointer(T.self)
        for r in 0..<rows {
            let xr = xp + r * d, yr = yp + r * d
            var sum: T = 0
            for j in 0..<d { sum += xr[j] }
            let mean = sum / T(d)
            var sq: T = 0
            for j in 0..<d { let c = xr[j] - mean; sq += c * c }
            let rstd = 1 / (sq / T(d) + T(eps)).squareRoot()
            sp[2 * r] = mean
            sp[2 * r + 1] = rstd
            for j in 0..<d {
                var v = (xr[j] - mean) * rstd
                if let wp { v *= wp[j] }
                if let bp { v += bp[j] }
                yr[j] = v
            }
        }
    }
    if dtype == .float64 { forward(Double.self) } else { forward(Float.self) }

    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    return Tensor.record(y, op: "layer_norm", inputs: inputs) { grad, _ in
        let g = grad.contiguous()
        let dx = Tensor.zeros(x.shape, dtype: dtype)
        let dw = Tensor.zeros([d], dtype: dtype), db = Tensor.zeros([d], dtype: dtype)
        func backward<T: NNFloat>(_: T.Type) {
            let xp = input.freshPointer(T.self), gp = g.freshPointer(T.self), sp = stats.freshPointer(T.self)
            let wp = w?.freshPointer(T.self), dxp = dx.freshPointer(T.self)
            let dwp = dw.freshPointer(T.self), dbp = db.freshPointer(T.self)
            for r in 0..<rows {
                let xr = xp + r * d, gr = gp + r * d, dxr = dxp + r * d
                let (mean, rstd) = (sp[2 * r], sp[2 * r + 1])
                var sumG: T = 0, sumGX: T = 0
                for j in 0..<d {
                    let xhat = (xr[j] - mean) * rstd
                    let gj = wp.map { gr[j] * $0[j] } ?? gr[j]
                    sumG += gj
                    sumGX += gj * xhat
                    dwp[j] += gr[j] * xhat
                    dbp[j] += gr[j]
                }
                let meanG = sumG / T(d), meanGX = sumGX / T(d)
                for j in 0..<d {
                    let xhat = (xr[j] - mean) * rstd
                    let gj = wp.map { gr[j] * $0[j] } ?? gr[j]
                    dxr[j] = rstd * (gj - meanG - xhat * meanGX)
                }
            }
        }
        if dtype == .float64 { backward(Double.self) } else { backward(Float.self) }
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
