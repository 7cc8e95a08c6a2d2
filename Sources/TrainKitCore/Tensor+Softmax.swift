import CTrainKitKernels

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
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let flag: Int32 = log ? 1 : 0
        if dtype == .float32 {
            tk_softmax_f32(Int64(rows), Int64(cols), x.basePointer(Float.self), out.basePointer(Float.self), flag)
        } else {
            tk_softmax_f64(Int64(rows), Int64(cols), x.basePointer(Double.self), out.basePointer(Double.self), flag)
        }
        return Tensor.record(out, op: log ? "log_softmax" : "softmax", inputs: [x]) { g, y in
            let gc = g.contiguous()
            let gx = Tensor(uninitialized: y.shape, dtype: y.dtype)
            if y.dtype == .float32 {
                tk_softmax_backward_f32(Int64(rows), Int64(cols), y.basePointer(Float.self), gc.basePointer(Float.self),
                                        gx.basePointer(Float.self), flag)
            } else {
                tk_softmax_backward_f64(Int64(rows), Int64(cols), y.basePointer(Double.self), gc.basePointer(Double.self),
                                        gx.basePointer(Double.self), flag)
            }
            return [gx]
        }
    }
}
