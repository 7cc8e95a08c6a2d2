/// Matrix decompositions and solvers (`torch.linalg` semantics) for float32 and float64 tensors of shape
/// `[..., m, n]` (leading dims are a batch).
///
/// They run on host memory in float64: through LAPACK when the BLAS found at run time exports it (OpenBLAS
/// does; `TRAINKIT_LAPACK=none` turns it off), otherwise through the built-in routines (Jacobi eigenvalue
/// and one-sided Jacobi SVD, Householder QR, Cholesky, LU with partial pivoting), and the results are rounded
/// to the input's dtype on the input's device. Both built-in backends are host-accessible; a device whose
/// memory is not is staged through a host copy. Bad input throws a ``LinalgError`` naming the op: NaN or
/// infinity, a singular matrix (`solve`, `inv`), a matrix that is not positive definite (`cholesky`), a
/// non-square matrix where one is needed.
///
/// Gradients (as PyTorch): all six are differentiable — `svd` and `eigh` for distinct singular values /
/// eigenvalues and losses that do not depend on the vectors' signs, `qr` for a full-rank leading square block.
extension Tensor {
    /// Cholesky factor of a symmetric positive-definite `A` [..., n, n]: lower `L` with `A = L Lᵀ` (reads
    /// the lower triangle), or `U = Lᵀ` with `upper`. Differentiable (PyTorch's formula
    /// `Ā = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹`, `Φ` = lower triangle with the diagonal halved, symmetrised).
    public func cholesky(upper: Bool = false) throws -> Tensor {
        let (batch, matrices) = try hostMatrices(op: "cholesky")
        let n = shape[rank - 1]
        guard shape[rank - 2] == n else { throw LinalgError(op: "cholesky", .notSquare(shape: shape)) }
        let factors = try matrices.map { try HostLinalg.cholesky($0) }
        let out = Tensor.fromHostMatrices(factors, batch: batch, rows: n, cols: n, dtype: dtype, device: device)
        let lower = Tensor.record(out, op: "cholesky", self) { g, _ in
            let (_, gs) = try! g.hostMatrices(op: "cholesky_backward")
            let grads = zip(factors, gs).map { Tensor.choleskyBackward(l: $0, gl: $1) }
            return [Tensor.fromHostMatrices(grads, batch: batch, rows: n, cols: n, dtype: g.dtype, device: g.device)]
        }
        return upper ? lower.T : lower
    }

    /// `Ā = L⁻ᵀ P L⁻¹`, `P = ½(M + tril(M, -1)ᵀ)`, `M = tril(Lᵀ L̄)` (torch's cholesky_backward).
    static func choleskyBackward(l: HostMatrix, gl: HostMatrix) -> HostMatrix {
        let n = l.rows
        let lt = l.transposed
        var m = lt.multiplied(by: gl)
        for i in 0..<n { for j in (i + 1)..<Swift.max(n, i + 1) { m[i, j] = 0 } }
        var p = m
        for i in 0..<n {
            for j in 0..<n {
                p[i, j] = 0.5 * (m[i, j] + (j > i ? m[j, i] : 0))
            }
        }
        let x = BuiltinLinalg.solveTriangular(lt, p, lower: false)  // Lᵀ X = P
        let yT = BuiltinLinalg.solveTriangular(lt, x.transposed, lower: false)  // Y L = X  ⇔  Lᵀ Yᵀ = Xᵀ
        return yT.transposed
    }

    /// Eigen-decomposition of a symmetric `A` [..., n, n] (reads the lower triangle): eigenvalues [..., n]
    /// in ascending order and eigenvectors [..., n, n] as columns, `A = V diag(w) Vᵀ`. Each eigenvector's sign
    /// is arbitrary. Differentiable (see the type's note).
    public func eigh() throws -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        let (batch, matrices) = try hostMatrices(op: "eigh")
        let n = shape[rank - 1]
        guard shape[rank - 2] == n else { throw LinalgError(op: "eigh", .notSquare(shape: shape)) }
        let results = try matrices.map { try HostLinalg.eigh($0) }
        let values = Tensor.fromHost(results.flatMap(\.values), shape: batch + [n], dtype: dtype, device: device)
        let vectors = Tensor.fromHostMatrices(results.map(\.vectors), batch: batch, rows: n, cols: n, dtype: dtype,
                                              device: device)
        // The gradient is linear in (w̄, V̄), so each output records its own part:
        // Ā = V (diag(w̄) + ½(VᵀV̄ - V̄ᵀV) / E) Vᵀ, E_ij = λ_j - λ_i (PyTorch's, for distinct eigenvalues).
        let w = Tensor.record(values, op: "eigh_eigenvalues", self) { g, _ in
            [(vectors * g.unsqueeze(-2)).matmul(vectors.T)]
        }
        let v = Tensor.record(vectors, op: "eigh_eigenvectors", self) { g, _ in
            let m = vectors.T.matmul(g)
            let e = values.unsqueeze(-2) - values.unsqueeze(-1) + Tensor.eye(n, dtype: values.dtype)
            return [vectors.matmul(((m - m.T) * 0.5) / e).matmul(vectors.T)]
        }
        return (w, v)
    }

    /// Thin singular value decomposition of `A` [..., m, n] (`torch.linalg.svd(full_matrices=False)`):
    /// `U` [..., m, k], `S` [..., k] descending and non-negative, `Vh` [..., k, n], `k = min(m, n)`,
    /// `A = U diag(S) Vh`. Each singular vector pair's sign is arbitrary. Differentiable (see the type's note).
    public func svd() throws -> (u: Tensor, s: Tensor, vh: Tensor) {
        let (batch, matrices) = try hostMatrices(op: "svd")
        let (m, n) = (shape[rank - 2], shape[rank - 1])
        let k = Swift.min(m, n)
        let results = try matrices.map { try HostLinalg.svd($0) }
        let u = Tensor.fromHostMatrices(results.map(\.u), batch: batch, rows: m, cols: k, dtype: dtype, device: device)
        let s = Tensor.fromHost(results.flatMap(\.s), shape: batch + [k], dtype: dtype, device: device)
        let vh = Tensor.fromHostMatrices(results.map(\.vt), batch: batch, rows: k, cols: n, dtype: dtype, device: device)
        // PyTorch's svd_backward, linear in (Ū, S̄, V̄h), so each output records its own part. With
        // skew(X) = X - Xᵀ and E_ij = S_j² - S_i² (1 on the diagonal):
        // from S̄: U diag(S̄) Vh; from Ū: U (skew(UᵀŪ) S_j / E) Vh + (I - UUᵀ) Ū S⁻¹ Vh;
        // from V̄h: U (S_i skew(Vh V̄hᵀ) / E) Vh + U S⁻¹ V̄h (I - VhᵀVh). Needs distinct, non-zero singular values.
        let sqr = s * s
        let e = sqr.unsqueeze(-2) - sqr.unsqueeze(-1) + Tensor.eye(k, dtype: s.dtype)
        let uOut = Tensor.record(u, op: "svd_u", self) { g, _ in
            let x = u.T.matmul(g)
            var ret = u.matmul(((x - x.T) * s.unsqueeze(-2)) / e)
            if m > k {
                let gSinv = g / s.unsqueeze(-2)
                ret = ret + gSinv - u.matmul(u.T.matmul(gSinv))
            }
            return [ret.matmul(vh)]
        }
        let sOut = Tensor.record(s, op: "svd_s", self) { g, _ in [(u * g.unsqueeze(-2)).matmul(vh)] }
        let vhOut = Tensor.record(vh, op: "svd_vh", self) { g, _ in
            let x = vh.matmul(g.T)
            var ret = ((x - x.T) * s.unsqueeze(-1) / e).matmul(vh)
            if n > k {
                let sInvG = g / s.unsqueeze(-1)
                ret = ret + sInvG - sInvG.matmul(vh.T).matmul(vh)
            }
            return [u.matmul(ret)]
        }
        return (uOut, sOut, vhOut)
    }

    /// Reduced QR of `A` [..., m, n]: `Q` [..., m, k] with orthonormal columns and upper-triangular `R`
    /// [..., k, n], `k = min(m, n)`, `A = Q R` (Householder; R's diagonal may be negative, as LAPACK's).
    /// Differentiable (see the type's note).
    public func qr() throws -> (q: Tensor, r: Tensor) {
        let (batch, matrices) = try hostMatrices(op: "qr")
        let (m, n) = (shape[rank - 2], shape[rank - 1])
        let k = Swift.min(m, n)
        let results = try matrices.map { try HostLinalg.qr($0) }
        let q = Tensor.fromHostMatrices(results.map(\.q), batch: batch, rows: m, cols: k, dtype: dtype, device: device)
        let r = Tensor.fromHostMatrices(results.map(\.r), batch: batch, rows: k, cols: n, dtype: dtype, device: device)
        // Linear in (Q̄, R̄): each output records its part, the other cotangent zero.
        let qOut = Tensor.record(q, op: "qr_q", self) { g, _ in
            [Tensor.qrBackward(results, matrices, gq: try! g.hostMatrices(op: "qr_backward").matrices, gr: nil,
                               batch: batch, dtype: g.dtype, device: g.device)]
        }
        let rOut = Tensor.record(r, op: "qr_r", self) { g, _ in
            [Tensor.qrBackward(results, matrices, gq: nil, gr: try! g.hostMatrices(op: "qr_backward").matrices,
                               batch: batch, dtype: g.dtype, device: g.device)]
        }
        return (qOut, rOut)
    }

    /// The gradient of the reduced QR. For `m ≥ n` (`R` square, invertible): with `M = R̄ Rᵀ - Qᵀ Q̄` and `N`
    /// its upper triangle mirrored below the diagonal, `Ā = (Q̄ + Q N) R⁻ᵀ`. For `m < n`, `A = [X Y]`,
    /// `X = Q R₁`, `R₂ = Qᵀ Y`: `Ȳ = Q R̄₂` and `X̄` is the square case with `Q̄ + Y R̄₂ᵀ` and `R̄₁`.
    static func qrBackward(_ results: [(q: HostMatrix, r: HostMatrix)], _ inputs: [HostMatrix], gq: [HostMatrix]?,
                           gr: [HostMatrix]?, batch: [Int], dtype: DType, device: Device) -> Tensor {
        let (m, n) = (inputs[0].rows, inputs[0].cols)
        let k = Swift.min(m, n)
        let grads: [HostMatrix] = results.indices.map { b in
            let (q, r) = results[b]
            var gQ = gq?[b] ?? HostMatrix(zeros: m, k)
            let gR = gr?[b] ?? HostMatrix(zeros: k, n)
            // Split R = [R₁ R₂] and A = [X Y] when m < n.
            var r1 = HostMatrix(zeros: k, k), gR1 = HostMatrix(zeros: k, k)
            for i in 0..<k { for j in 0..<k { r1[i, j] = r[i, j]; gR1[i, j] = gR[i, j] } }
            var gY: HostMatrix? = nil
            if n > k {
                var y = HostMatrix(zeros: m, n - k), gR2 = HostMatrix(zeros: k, n - k)
                for i in 0..<m { for j in 0..<(n - k) { y[i, j] = inputs[b][i, k + j] } }
                for i in 0..<k { for j in 0..<(n - k) { gR2[i, j] = gR[i, k + j] } }
                gY = q.multiplied(by: gR2)
                let extra = y.multiplied(by: gR2.transposed)
                for i in 0..<gQ.values.count { gQ.values[i] += extra.values[i] }
            }
            var mm = gR1.multiplied(by: r1.transposed)
            let qtg = q.transposed.multiplied(by: gQ)
            for i in 0..<mm.values.count { mm.values[i] -= qtg.values[i] }
            for i in 0..<k { for j in 0..<i { mm[i, j] = mm[j, i] } }  // N: upper triangle mirrored
            var lhs = q.multiplied(by: mm)
            for i in 0..<lhs.values.count { lhs.values[i] += gQ.values[i] }
            // X̄ = lhs R₁⁻ᵀ  ⇔  R₁ X̄ᵀ = lhsᵀ
            let gX = BuiltinLinalg.solveTriangular(r1, lhs.transposed, lower: false).transposed
            guard let gY else { return gX }
            var out = HostMatrix(zeros: m, n)
            for i in 0..<m {
                for j in 0..<k { out[i, j] = gX[i, j] }
                for j in 0..<(n - k) { out[i, k + j] = gY[i, j] }
            }
            return out
        }
        return fromHostMatrices(grads, batch: batch, rows: m, cols: n, dtype: dtype, device: device)
    }

    /// `X` with `A X = B` (`torch.linalg.solve`): `a` [..., n, n]; `b` [..., n, k] with the same batch dims,
    /// or a vector right-hand side [..., n] (rank one less than `a`), giving `X` of `b`'s shape. LU with
    /// partial pivoting; a zero pivot throws `singular`. Float dtypes promote (float64 wins).
    /// Differentiable: `B̄ = A⁻ᵀ X̄`, `Ā = -B̄ Xᵀ`.
    public static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        for t in [a, b] where !t.dtype.isFloatingPoint { throw LinalgError(op: "solve", .unsupportedDType(t.dtype)) }
        let dtype: DType = (a.dtype == .float64 || b.dtype == .float64) ? .float64 : .float32
        let (batch, lhs) = try a.hostMatrices(op: "solve")
        let n = a.shape[a.rank - 1]
        guard a.shape[a.rank - 2] == n else { throw LinalgError(op: "solve", .notSquare(shape: a.shape)) }
        let vectorRHS = b.rank == a.rank - 1
        let bMatrix = vectorRHS ? b.unsqueeze(-1) : b
        guard bMatrix.rank == a.rank, Array(bMatrix.shape.dropLast(2)) == batch, bMatrix.shape[bMatrix.rank - 2] == n
        else {
            throw LinalgError(op: "solve", .badShape("right-hand side of shape \(b.shape) does not fit A of shape \(a.shape)"))
        }
        let (_, rhs) = try bMatrix.hostMatrices(op: "solve")
        let k = bMatrix.shape[bMatrix.rank - 1]
        let solutions = try zip(lhs, rhs).map { try HostLinalg.solve($0, $1) }
        let out = Tensor.fromHostMatrices(solutions, batch: batch, rows: n, cols: k, dtype: dtype, device: a.device)
            .reshape(vectorRHS ? b.shape : bMatrix.shape)
        return Tensor.record(out, op: "solve", a, b) { g, x in
            guard let gb = try? Tensor.solve(a.detach().T, g) else { return [nil, nil] }
            let ga = vectorRHS ? -(gb.unsqueeze(-1).matmul(x.unsqueeze(-2))) : -(gb.matmul(x.T))
            return [a.requiresGrad ? ga.to(a.dtype) : nil, b.requiresGrad ? gb.to(b.dtype) : nil]
        }
    }

    /// The inverse of a square `A` [..., n, n] (LU with partial pivoting; a zero pivot throws `singular`).
    /// Differentiable: `Ā = -A⁻ᵀ Ȳ A⁻ᵀ`.
    public func inv() throws -> Tensor {
        let (batch, matrices) = try hostMatrices(op: "inv")
        let n = shape[rank - 1]
        guard shape[rank - 2] == n else { throw LinalgError(op: "inv", .notSquare(shape: shape)) }
        let identity = HostMatrix.identity(n)
        let inverses = try matrices.map { try HostLinalg.solve($0, identity, op: "inv") }
        let out = Tensor.fromHostMatrices(inverses, batch: batch, rows: n, cols: n, dtype: dtype, device: device)
        return Tensor.record(out, op: "inv", self) { g, y in
            let yT = y.T
            return [-(yT.matmul(g).matmul(yT))]
        }
    }
}
