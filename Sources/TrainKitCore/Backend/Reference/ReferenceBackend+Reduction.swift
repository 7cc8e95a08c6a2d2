// Reductions, arg-reductions and softmax: the twins of `tk_reduce_*`, `tk_argmax_*`, `tk_softmax_*` and
// `tk_softmax_backward_*` (`CTrainKitKernels/elementwise_impl.inc`). Sums and products accumulate in `Double`
// in index order.

extension ReferenceBackend {
    /// `out[o, i] = op_r x[o, r, i]` over contiguous `x [outer, extent, inner]`. Sum and product accumulate in
    /// `Double` (an empty extent gives 0 and 1); max and min need `extent > 0`, and a NaN in the slice gives
    /// NaN (as `torch.amax`).
    package func reduce(_ op: ReduceOp, _ dtype: DType, outer: Int, extent: Int, inner: Int, x: UnsafeRawPointer,
                        out: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let xs = x.elements(T.self), o = out.elements(T.self)
            for slice in 0..<outer * inner {
                let base = (slice / inner) * extent * inner + slice % inner
                let values = (0..<extent).lazy.map { xs[base + $0 * inner] }
                switch op {
                case .sum: o[slice] = T(values.reduce(0.0) { $0 + Double($1) })
                case .prod: o[slice] = T(values.reduce(1.0) { $0 * Double($1) })
                case .max: o[slice] = Self.extreme(values, isMin: false).value
                case .min: o[slice] = Self.extreme(values, isMin: true).value
                }
            }
        }
        precondition(extent > 0 || op == .sum || op == .prod || outer * inner == 0,
                     "reduce: \(op) over an empty extent")
        withReferenceFloat(dtype, "reduce", on: self) { run($0) }
    }

    /// `out[o, i]` (int64) = the index `r` of the first maximum (minimum) of `x[o, r, i]`; a NaN counts as
    /// the extreme, so the first NaN wins. Needs `extent > 0`.
    package func argReduce(isMin: Bool, _ dtype: DType, outer: Int, extent: Int, inner: Int, x: UnsafeRawPointer,
                           out: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let xs = x.elements(T.self), o = out.elements(Int64.self)
            for slice in 0..<outer * inner {
                let base = (slice / inner) * extent * inner + slice % inner
                let values = (0..<extent).lazy.map { xs[base + $0 * inner] }
                o[slice] = Int64(Self.extreme(values, isMin: isMin).index)
            }
        }
        precondition(extent > 0 || outer * inner == 0, "argmax: an empty extent has no extreme")
        withReferenceFloat(dtype, "argmax", on: self) { run($0) }
    }

    /// Softmax over each row of contiguous `[rows, cols]`: `y = e^(x - m) / Σ e^(x - m)`, `m` the row maximum;
    /// with `log`, `y = x - (m + log Σ e^(x - m))`. The sum accumulates in `Double`; a NaN (or a row whose
    /// maximum is infinite) gives a NaN row.
    package func softmax(_ dtype: DType, rows: Int, cols: Int, x: UnsafeRawPointer, y: UnsafeMutableRawPointer,
                         log: Bool) {
        func run<T: ReferenceFloat>(_: T.Type) {
            for r in 0..<rows {
                let xs = x.elements(T.self) + r * cols, ys = y.elements(T.self) + r * cols
                let m = Self.extreme((0..<cols).lazy.map { xs[$0] }, isMin: false).value
                let sum = T((0..<cols).reduce(0.0) { $0 + Double(T.exp(xs[$1] - m)) })
                for j in 0..<cols { ys[j] = log ? xs[j] - (m + T.log(sum)) : T.exp(xs[j] - m) / sum }
            }
        }
        withReferenceFloat(dtype, "softmax", on: self) { run($0) }
    }

    /// Softmax's backward per row: `gx = y·(g - Σ g·y)`; for log-softmax `gx = g - e^y·Σ g`. Sums accumulate
    /// in `Double`.
    package func softmaxBackward(_ dtype: DType, rows: Int, cols: Int, y: UnsafeRawPointer, g: UnsafeRawPointer,
                                 gx: UnsafeMutableRawPointer, log: Bool) {
        func run<T: ReferenceFloat>(_: T.Type) {
            for r in 0..<rows {
                let ys = y.elements(T.self) + r * cols, gs = g.elements(T.self) + r * cols
                let out = gx.elements(T.self) + r * cols
                if log {
                    let sum = T((0..<cols).reduce(0.0) { $0 + Double(gs[$1]) })
                    for j in 0..<cols { out[j] = gs[j] - T.exp(ys[j]) * sum }
                } else {
                    let dot = T((0..<cols).reduce(0.0) { $0 + Double(gs[$1]) * Double(ys[$1]) })
                    for j in 0..<cols { out[j] = ys[j] * (gs[j] - dot) }
                }
            }
        }
        withReferenceFloat(dtype, "softmax backward", on: self) { run($0) }
    }

    /// The first maximum (or minimum) of `values` and its index; the first NaN wins over any number.
    static func extreme<T: ReferenceFloat, C: Collection<T>>(_ values: C, isMin: Bool) -> (value: T, index: Int) {
        var best = (value: T.nan, index: -1)
        for (r, v) in values.enumerated() {
            if v.isNaN { return (v, r) }
            if best.index < 0 || (isMin ? v < best.value : v > best.value) { best = (v, r) }
        }
        return best
    }
}
