extension Tensor {
    /// How a `[rows, cols]` matrix with these strides is handed to GEMM without copying: row-major (`trans` 0,
    /// `ld` = row stride) or a transposed row-major buffer (`trans` 1, `ld` = column stride); nil for any other
    /// layout.
    static func gemmLayout(rows: Int, cols: Int, rowStride: Int, colStride: Int) -> (trans: Bool, ld: Int)? {
        if colStride == 1 && (rowStride >= cols || rows == 1) { return (false, Swift.max(rowStride, cols, 1)) }
        if rowStride == 1 && (colStride >= rows || cols == 1) { return (true, Swift.max(colStride, rows, 1)) }
        return nil
    }

    /// A 2-d operand for GEMM (`gemmLayout`), copied to a contiguous buffer when its layout is not one of the two.
    func gemmOperand() -> (tensor: Tensor, trans: Bool, ld: Int) {
        precondition(rank == 2)
        if let (trans, ld) = Tensor.gemmLayout(rows: shape[0], cols: shape[1],
                                               rowStride: strides[0], colStride: strides[1]) {
            return (self, trans, ld)
        }
        return (contiguousData(), false, Swift.max(shape[1], 1))
    }

    /// A 3-d tensor's matrices for a batched GEMM: each `[n, k]` matrix as in `gemmLayout`, the `b`-th starting
    /// `batchStride` elements after the first (0 for a broadcast batch). Other layouts are copied.
    func batchedGEMMOperand() -> (tensor: Tensor, trans: Bool, ld: Int, batchStride: Int) {
        precondition(rank == 3)
        if let (trans, ld) = Tensor.gemmLayout(rows: shape[1], cols: shape[2],
                                               rowStride: strides[1], colStride: strides[2]) {
            return (self, trans, ld, strides[0])
        }
        return (contiguousData(), false, Swift.max(shape[2], 1), shape[1] * shape[2])
    }

    /// `c = alpha · a · op(b) + beta · c` for 2-d float tensors, `op(b)` = `b`, or `bᵀ` when `transposeB` (no
    /// transposed view is built); `c` must be a fresh contiguous buffer.
    static func gemm(_ a: Tensor, _ b: Tensor, into c: Tensor, alpha: Double = 1, beta: Double = 0,
                     transposeB: Bool = false) {
        let backend = commonBackend(a, b, op: "mm")
        _ = commonBackend(a, c, op: "mm")
        precondition(a.dtype == c.dtype && b.dtype == c.dtype, "mm: operands \(a.dtype), \(b.dtype) into \(c.dtype)")
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[transposeB ? 0 : 1])
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { backend.fill(elementSize: c.dtype.byteSize, count: c.count, destination: c.address, pattern: 0) }
            return
        }
        let (ta, tA, lda) = a.gemmOperand()
        let (tb, storedB, ldb) = b.gemmOperand()
        let problem = GEMMProblem(transA: tA, transB: transposeB != storedB, m: m, n: n, k: k, alpha: alpha, beta: beta,
                                  lda: lda, ldb: ldb, ldc: n)
        backend.gemm(c.dtype, problem, a: ta.address, b: tb.address, c: c.address)
    }

    /// Stops with a named error unless every operand of a matrix product is a float tensor (PyTorch refuses
    /// integer products on most devices; TrainKit on all).
    static func requireFloatOperands(_ op: StaticString, _ a: Tensor, _ b: Tensor, _ c: Tensor? = nil) {
        if a.dtype.isFloatingPoint && b.dtype.isFloatingPoint && c?.dtype.isFloatingPoint != false { return }
        let names = ([a, b] + (c.map { [$0] } ?? [])).map(\.dtype.description).joined(separator: " and ")
        preconditionFailure("\(op): needs float tensors, got \(names); integer products are not supported, use .to(.float32)")
    }

    /// Matrix product of 2-d tensors `[m, k] · [k, n] -> [m, n]`.
    ///
    /// Float operands of different dtypes promote (`float32 · float64 → float64`); integer operands stop with a
    /// named error.
    public func mm(_ other: Tensor) -> Tensor {
        Tensor.requireFloatOperands("mm", self, other)
        let (a, b) = Tensor.promote(self, other)
        precondition(a.rank == 2 && b.rank == 2, "mm: needs 2-d tensors, got shapes \(a.shape) and \(b.shape)")
        precondition(a.shape[1] == b.shape[0], "mm: shapes \(a.shape) and \(b.shape) cannot be multiplied (\(a.shape[1]) != \(b.shape[0]))")
        let out = a.uninitializedLike([a.shape[0], b.shape[1]])
        Tensor.gemm(a, b, into: out)
        return Tensor.record(out, op: "mm", a, b) { g, _ in
            [a.requiresGrad ? g.mm(b.T) : nil, b.requiresGrad ? a.T.mm(g) : nil]
        }
    }

    /// `torch.matmul`: 1-d·1-d is a dot product; a 1-d operand gains (then loses) a dimension; batch
    /// dimensions broadcast. Shapes: `[..., n, k] · [..., k, m] -> [..., n, m]`. Dtypes as in ``mm(_:)``.
    public func matmul(_ other: Tensor) -> Tensor {
        Tensor.requireFloatOperands("matmul", self, other)
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

    /// Batched matrix product `[b, n, k] · [b, k, m] -> [b, n, m]`. Dtypes as in ``mm(_:)``.
    public func bmm(_ other: Tensor) -> Tensor {
        Tensor.requireFloatOperands("bmm", self, other)
        let (a, b) = Tensor.promote(self, other)
        precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0] && a.shape[2] == b.shape[1],
                     "bmm: shapes \(a.shape) and \(b.shape) are not [b, n, k] and [b, k, m]")
        let (batch, n, m) = (a.shape[0], a.shape[1], b.shape[2])
        let backend = Tensor.commonBackend(a, b, op: "bmm")
        let out = a.uninitializedLike([batch, n, m])
        if n > 0 && m > 0 {
            if a.shape[2] == 0 {
                backend.fill(elementSize: a.dtype.byteSize, count: out.count, destination: out.address, pattern: 0)
            } else {
                // One call for the whole batch: small products are spread over the workers one per worker.
                let (ta, tA, lda, strideA) = a.batchedGEMMOperand()
                let (tb, tB, ldb, strideB) = b.batchedGEMMOperand()
                let problem = GEMMProblem(transA: tA, transB: tB, m: n, n: m, k: a.shape[2], lda: lda, ldb: ldb, ldc: m)
                backend.gemmBatched(a.dtype, problem, batch: batch, a: ta.address, strideA: strideA, b: tb.address,
                                    strideB: strideB, c: out.address, strideC: n * m)
            }
        }
        return Tensor.record(out, op: "bmm", a, b) { g, _ in
            [a.requiresGrad ? g.bmm(b.transpose(1, 2)) : nil, b.requiresGrad ? a.transpose(1, 2).bmm(g) : nil]
        }
    }

    /// `x · weightᵀ + bias` over the last dimension (`torch.nn.functional.linear`).
    /// Shapes: x `[..., in]`, weight `[out, in]`, bias `[out]` → `[..., out]`. The bias is added by the
    /// GEMM itself (beta = 1 over bias rows), and its gradient is one column sum. Mixed float dtypes are
    /// promoted as in `mm` (a float64 input with a float32 weight and bias computes in float64; gradients flow
    /// back through the casts in each operand's own dtype); integer operands stop with a named error.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        requireFloatOperands("linear", x, weight, bias)
        let dtype = bias.map { DType.promoted(DType.promoted(x.dtype, weight.dtype), $0.dtype) }
            ?? DType.promoted(x.dtype, weight.dtype)
        let (x, weight, bias) = (x.to(dtype), weight.to(dtype), bias?.to(dtype))
        precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == weight.shape[1],
                     "linear: input shape \(x.shape) does not end in weight's in_features \(weight.shape[1]) (weight \(weight.shape))")
        if x.rank != 2 {
            let lead = Array(x.shape.dropLast())
            return linear(x.reshape([-1, weight.shape[1]]), weight: weight, bias: bias).reshape(lead + [weight.shape[0]])
        }
        let (rows, outF) = (x.shape[0], weight.shape[0])
        let out = x.uninitializedLike([rows, outF])
        var beta = 0.0
        if let bias {
            precondition(bias.shape == [outF], "linear: bias shape \(bias.shape), expected [\(outF)]")
            // Every row starts as the bias (GEMM then adds x·Wᵀ with beta = 1).
            let backend = commonBackend(x, bias, op: "linear")
            let b = bias.contiguousData(), rowBytes = outF * x.dtype.byteSize
            for r in 0..<rows { backend.copy(byteCount: rowBytes, from: b.address, to: out.address + r * rowBytes) }
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
