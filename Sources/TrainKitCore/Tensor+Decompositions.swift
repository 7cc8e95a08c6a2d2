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
/// Gradients (as PyTorch): `solve`, `inv` and `cholesky` are differentiable; `svd`, `eigh` and `qr` are not
/// (their results carry no gradient).
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
    /// is arbitrary. Not differentiable.
    public func eigh() throws -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        let (batch, matrices) = try hostMatrices(op: "eigh")
        let n = shape[rank - 1]
        guard shape[rank - 2] == n else { throw LinalgError(op: "eigh", .notSquare(shape: shape)) }
        let results = try matrices.map { try HostLinalg.eigh($0) }
        let values = Tensor.fromHost(results.flatMap(\.values), shape: batch + [n], dtype: dtype, device: device)
        let vectors = Tensor.fromHostMatrices(results.map(\.vectors), batch: batch, rows: n, cols: n, dtype: dtype,
                                              device: device)
        return (values, vectors)
    }

    /// Thin singular value decomposition of `A` [..., m, n] (`torch.linalg.svd(full_matrices=False)`):
    /// `U` [..., m, k], `S` [..., k] descending and non-negative, `Vh` [..., k, n], `k = min(m, n)`,
    /// `A = U diag(S) Vh`. Each singular vector pair's sign is arbitrary. Not differentiable.
    public func svd() throws -> (u: Tensor, s: Tensor, vh: Tensor) {
        let (batch, matrices) = try hostMatrices(op: "svd")
        let (m, n) = (shape[rank - 2], shape[rank - 1])
        let k = Swift.min(m, n)
        let results = try matrices.map { try HostLinalg.svd($0) }
        return (Tensor.fromHostMatrices(results.map(\.u), batch: batch, rows: m, cols: k, dtype: dtype, device: device),
                Tensor.fromHost(results.flatMap(\.s), shape: batch + [k], dtype: dtype, device: device),
                Tensor.fromHostMatrices(results.map(\.vt), batch: batch, rows: k, cols: n, dtype: dtype, device: device))
    }

    /// Reduced QR of `A` [..., m, n]: `Q` [..., m, k] with orthonormal columns and upper-triangular `R`
    /// [..., k, n], `k = min(m, n)`, `A = Q R` (Householder; R's diagonal may be negative, as LAPACK's).
    /// Not differentiable.
    public func qr() throws -> (q: Tensor, r: Tensor) {
        let (batch, matrices) = try hostMatrices(op: "qr")
        let (m, n) = (shape[rank - 2], shape[rank - 1])
        let k = Swift.min(m, n)
        let results = try matrices.map { try HostLinalg.qr($0) }
        return (Tensor.fromHostMatrices(results.map(\.q), batch: batch, rows: m, cols: k, dtype: dtype, device: device),
                Tensor.fromHostMatrices(results.map(\.r), batch: batch, rows: k, cols: n, dtype: dtype, device: device))
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
