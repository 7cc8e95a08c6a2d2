import CTrainKitKernels

extension Tensor {
    /// How a `[rows, cols]` matrix with these strides is handed to GEMM without copying: row-major (`trans` 0,
    /// `ld` = row stride) or a transposed row-major buffer (`trans` 1, `ld` = column stride); nil for any other
    /// layout.
    static func gemmLayout(rows: Int, cols: Int, rowStride: Int, colStride: Int) -> (trans: Int32, ld: Int)? {
        if colStride == 1 && (rowStride >= cols || rows == 1) { return (0, Swift.max(rowStride, cols, 1)) }
        if rowStride == 1 && (colStride >= rows || cols == 1) { return (1, Swift.max(colStride, rows, 1)) }
        return nil
    }

    /// A 2-d operand for GEMM (`gemmLayout`), copied to a contiguous buffer when its layout is not one of the two.
    func gemmOperand() -> (tensor: Tensor, trans: Int32, ld: Int) {
        precondition(rank == 2)
        if let (trans, ld) = Tensor.gemmLayout(rows: shape[0], cols: shape[1],
                                               rowStride: strides[0], colStride: strides[1]) {
            return (self, trans, ld)
        }
        return (contiguousData(), 0, Swift.max(shape[1], 1))
    }

    /// A 3-d tensor's matrices for a batched GEMM: each `[n, k]` matrix as in `gemmLayout`, the `b`-th starting
    /// `batchStride` elements after the first (0 for a broadcast batch). Other layouts are copied.
    func batchedGEMMOperand() -> (tensor: Tensor, trans: Int32, ld: Int, batchStride: Int) {
        precondition(rank == 3)
        if let (trans, ld) = Tensor.gemmLayout(rows: shape[1], cols: shape[2],
                                               rowStride: strides[1], colStride: strides[2]) {
            return (self, trans, ld, strides[0])
        }
        return (contiguousData(), 0, Swift.max(shape[2], 1), shape[1] * shape[2])
    }

    /// `c = alpha · a · op(b) + beta · c` for 2-d float tensors, `op(b)` = `b`, or `bᵀ` when `transposeB` (no
    /// transposed view is built); `c` must be a fresh contiguous buffer.
    static func gemm(_ a: Tensor, _ b: Tensor, into c: Tensor, alpha: Double = 1, beta: Double = 0,
                     transposeB: Bool = false) {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[transposeB ? 0 : 1])
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { tk_fill(Int32(c.dtype.byteSize), Int64(c.count), c.rawBase, [UInt64(0)]) }
            return
        }
        let (ta, tA, lda) = a.gemmOperand()
        let (tb, storedB, ldb) = b.gemmOperand()
        let tB = transposeB ? 1 - storedB : storedB
        if c.dtype == .float32 {
            tk_sgemm(tA, tB, Int64(m), Int64(n), Int64(k), Float(alpha), ta.basePointer(Float.self), Int64(lda),
                     tb.basePointer(Float.self), Int64(ldb), Float(beta), c.basePointer(Float.self), Int64(n))
        } else {
            tk_dgemm(tA, tB, Int64(m), Int64(n), Int64(k), alpha, ta.basePointer(Double.self), Int64(lda),
                     tb.basePointer(Double.self), Int64(ldb), beta, c.basePointer(Double.self), Int64(n))
        }
    }

    /// Matrix product of 2-d tensors `[m, k] · [k, n] -> [m, n]`.
    public func mm(_ other: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, other)
        precondition(a.rank == 2 && b.rank == 2, "mm: needs 2-d tensors, got shapes \(a.shape) and \(b.shape)")
        precondition(a.shape[1] == b.shape[0], "mm: shapes \(a.shape) and \(b.shape) cannot be multiplied (\(a.shape[1]) != \(b.shape[0]))")
        precondition(a.dtype.isFloatingPoint, "mm: needs float tensors, got \(a.dtype)")
        let out = Tensor(uninitialized: [a.shape[0], b.shape[1]], dtype: a.dtype)
        Tensor.gemm(a, b, into: out)
        return Tensor.record(out, op: "mm", inputs: [a, b]) { g, _ in
            [a.requiresGrad ? g.mm(b.T) : nil, b.requiresGrad ? a.T.mm(g) : nil]
        }
    }

    /// `torch.matmul`: 1-d·1-d is a dot product; a 1-d operand gains (then loses) a dimension; batch
    /// dimensions broadcast. Shapes: `[..., n, k] · [..., k, m] -> [..., n, m]`.
    public func matmul(_ other: Tensor) -> Tensor {
        let a = self, b = other
        precondition(a.rank >= 1 && b.rank >= 1, "matmul: 0-d operands (shapes \(a.shape), \(b.shape))")
        if a.rank == 1 && b.rank == 1 {
            precondition(a.shape == b.shape, "matmul: dot of shapes \(a.shape) and \(b.shape)")
            return (a * b).sum()
        }
        if a.rank == 1 { return a.unsqueeze(0).matmul(b).squeeze(-2) }
        if b.rank == 1 { return a.matmul(b.unsqueeze(-1)).squeeze(-1) }
        precondition(a.shape[a.rank - 1] == b.shape[b.rank - 2],
                     "matmul: shapes \(a.shape) and \(b.shape) cannot be multiplied (\(a.shape[a.rank - 1]) != \(b.shape[b.rank - 2]))")
        if a.rank == 2 && b.rank == 2 { return a.mm(b) }
        if b.rank == 2 {
            // [..., n, k] · [k, m]: one GEMM over all leading rows.
            let lead = Array(a.shape.dropLast())
            return a.reshape([-1, a.shape[a.rank - 1]]).mm(b).reshape(lead + [b.shape[1]])
        }
        let batch = broadcastShapes(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: "matmul")
        let ae = a.expand(batch + Array(a.shape.suffix(2))).reshape([-1, a.shape[a.rank - 2], a.shape[a.rank - 1]])
        let be = b.expand(batch + Array(b.shape.suffix(2))).reshape([-1, b.shape[b.rank - 2], b.shape[b.rank - 1]])
        return ae.bmm(be).reshape(batch + [a.shape[a.rank - 2], b.shape[b.rank - 1]])
    }

    /// Batched matrix product `[b, n, k] · [b, k, m] -> [b, n, m]`.
    public func bmm(_ other: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, other)
        precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0] && a.shape[2] == b.shape[1],
                     "bmm: shapes \(a.shape) and \(b.shape) are not [b, n, k] and [b, k, m]")
        let (batch, n, m) = (a.shape[0], a.shape[1], b.shape[2])
        let out = Tensor(uninitialized: [batch, n, m], dtype: a.dtype)
        if a.dtype == .float32 && n > 0 && m > 0 && a.shape[2] > 0 {
            // One call for the whole batch: small products are spread over the pool one per worker.
            let (ta, tA, lda, strideA) = a.batchedGEMMOperand()
            let (tb, tB, ldb, strideB) = b.batchedGEMMOperand()
            tk_sgemm_batched(tA, tB, Int64(batch), Int64(n), Int64(m), Int64(a.shape[2]), 1,
                             ta.basePointer(Float.self), Int64(strideA), Int64(lda),
                             tb.basePointer(Float.self), Int64(strideB), Int64(ldb), 0,
                             out.basePointer(Float.self), Int64(n * m), Int64(m))
        } else {
            for i in 0..<batch {
                let ai = a.view(shape: [n, a.shape[2]], strides: [a.strides[1], a.strides[2]], offset: a.offset + i * a.strides[0])
                let bi = b.view(shape: [b.shape[1], m], strides: [b.strides[1], b.strides[2]], offset: b.offset + i * b.strides[0])
                let ci = out.view(shape: [n, m], strides: [m, 1], offset: i * n * m)
                Tensor.gemm(ai, bi, into: ci)
            }
        }
        return Tensor.record(out, op: "bmm", inputs: [a, b]) { g, _ in
            [a.requiresGrad ? g.bmm(b.transpose(1, 2)) : nil, b.requiresGrad ? a.transpose(1, 2).bmm(g) : nil]
        }
    }

    /// `x · weightᵀ + bias` over the last dimension (`torch.nn.functional.linear`).
    /// Shapes: x `[..., in]`, weight `[out, in]`, bias `[out]` → `[..., out]`. The bias is added by the
    /// GEMM itself (beta = 1 over bias rows), and its gradient is one column sum. Mixed dtypes are promoted as
    /// in `mm` (a float64 input with a float32 weight computes in float64; gradients flow back through the casts).
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        let dtype = bias.map { DType.promoted(DType.promoted(x.dtype, weight.dtype), $0.dtype) }
            ?? DType.promoted(x.dtype, weight.dtype)
        precondition(dtype.isFloatingPoint, "linear: needs float tensors, got \(x.dtype) and \(weight.dtype)")
        let (x, weight, bias) = (x.to(dtype), weight.to(dtype), bias?.to(dtype))
        precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == weight.shape[1],
                     "linear: input shape \(x.shape) does not end in weight's in_features \(weight.shape[1]) (weight \(weight.shape))")
        if x.rank != 2 {
            let lead = Array(x.shape.dropLast())
            return linear(x.reshape([-1, weight.shape[1]]), weight: weight, bias: bias).reshape(lead + [weight.shape[0]])
        }
        let (rows, outF) = (x.shape[0], weight.shape[0])
        let out = Tensor(uninitialized: [rows, outF], dtype: x.dtype)
        var beta = 0.0
        if let bias {
            precondition(bias.shape == [outF], "linear: bias shape \(bias.shape), expected [\(outF)]")
            let bc = bias.contiguousData()
            let es = x.dtype.byteSize
            for r in 0..<rows { (out.rawBase + r * outF * es).copyMemory(from: bc.rawBase, byteCount: outF * es) }
            beta = 1
        }
        gemm(x, weight, into: out, beta: beta, transposeB: true)
        // Inference (nothing to record) returns before the bookkeeping below.
        guard isGradEnabled, x.requiresGrad || weight.requiresGrad || bias?.requiresGrad == true else { return out }
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(out, op: "linear", inputs: inputs) { g, _ in
            var grads: [Tensor?] = [x.requiresGrad ? g.mm(weight) : nil, weight.requiresGrad ? g.T.mm(x) : nil]
            if let bias { grads.append(bias.requiresGrad ? g.sum([0]) : nil) }
            return grads
        }
    }
}
