extension Tensor {
    /// `exp(x) / Σ exp(x)` along `dim`, one fused pass per row. Backward: `y (g - Σ g y)`.
    public func softmax(_ dim: Int = -1) -> Tensor { softmaxFamily(dim, log: false) }

    /// `x - log Σ exp(x)` along `dim`, one fused pass per row. Backward: `g - exp(y) Σ g`.
    public func logSoftmax(_ dim: Int = -1) -> Tensor { softmaxFamily(dim, log: true) }

    private func softmaxFamily(_ dim: Int, log: Bool) -> Tensor {
        precondition(dtype.isFloatingPoint, "softmax: needs a float tensor, got \(dtype)")
        if rank == 0 { return log ? self * 0 : self * 0 + 1 }
        let d = normalizeDim(dim, rank: rank, op: log ? "log_softmax" : "softmax")
        if d != rank - 1 {
            return transpose(d, -1).softmaxFamily(-1, log: log).transpose(d, -1)
        }
        let x = contiguous()
        let cols = shape[rank - 1], rows = count / Swift.max(cols, 1)
        let out = uninitializedLike(shape)
        backend.softmax(dtype, rows: rows, cols: cols, x: x.address, y: out.address, log: log)
        return Tensor.record(out, op: log ? "log_softmax" : "softmax", x) { g, y in
            let gc = g.contiguous()
            let gx = y.uninitializedLike(y.shape)
            y.backend.softmaxBackward(y.dtype, rows: rows, cols: cols, y: y.address, g: gc.address, gx: gx.address,
                                      log: log)
            return [gx]
        }
    }
}
