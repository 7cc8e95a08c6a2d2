import Testing
@testable import TrainKitCore
import TrainKitTestSupport

/// `svd`, `eigh`, `cholesky`, `qr`, `solve`, `inv`: their defining identities on random matrices in both
/// float dtypes, the built-in routines against LAPACK (when the loaded BLAS has it), the named errors, and
/// float64 finite-difference gradients of `solve`, `inv` and `cholesky`.
@Suite struct DecompositionTests {
    static func random(_ shape: [Int], seed: UInt64, dtype: DType = .float64) -> Tensor {
        Tensor.uniform(shape, low: -1, high: 1, key: RandomKey(seed: seed), dtype: dtype)
    }

    /// A well-conditioned symmetric positive-definite matrix `M Mᵀ + n I`.
    static func spd(_ n: Int, seed: UInt64, dtype: DType = .float64) -> Tensor {
        let m = random([n, n], seed: seed, dtype: dtype)
        return m.matmul(m.T) + Tensor.eye(n, dtype: dtype) * Double(n)
    }

    static func host(_ t: Tensor) -> HostMatrix {
        HostMatrix(rows: t.shape[0], cols: t.shape[1], values: t.toArray(as: Double.self))
    }

    func tolerance(_ dtype: DType) -> (rtol: Double, atol: Double) { dtype == .float64 ? (1e-9, 1e-10) : (1e-4, 1e-5) }

    @Test(arguments: [DType.float64, .float32], [(5, 3), (3, 5), (4, 4), (1, 3)])
    func svdReconstructsWithOrthonormalFactors(_ dtype: DType, _ size: (Int, Int)) throws {
        let a = Self.random([size.0, size.1], seed: 11, dtype: dtype)
        let (u, s, vh) = try a.svd()
        let k = min(size.0, size.1)
        #expect(u.shape == [size.0, k] && s.shape == [k] && vh.shape == [k, size.1])
        let (rtol, atol) = tolerance(dtype)
        #expect(closenessFailure((u * s.unsqueeze(0)).matmul(vh), a, rtol: rtol, atol: atol * 10) == nil)
        #expect(closenessFailure(u.T.matmul(u), Tensor.eye(k, dtype: dtype), rtol: rtol, atol: atol * 10) == nil)
        #expect(closenessFailure(vh.matmul(vh.T), Tensor.eye(k, dtype: dtype), rtol: rtol, atol: atol * 10) == nil)
        let values = s.toArray(as: Double.self)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 } && values.allSatisfy { $0 >= 0 })
    }

    @Test func svdOfRankDeficientMatrixKeepsOrthonormalU() throws {
        let col = Self.random([6, 1], seed: 3)
        let a = col.matmul(Tensor([1.0, 2.0, -1.0], shape: [1, 3]))  // rank 1
        for impl in [LinalgImplementation.builtin, .automatic] {
            let (u, s, _) = try HostLinalg.svd(Self.host(a), impl)
            let ut = Tensor(u.values, shape: [6, 3])
            #expect(closenessFailure(ut.T.matmul(ut), Tensor.eye(3, dtype: .float64), rtol: 1e-9, atol: 1e-9) == nil)
            #expect(s[1] < 1e-12 && s[2] < 1e-12 && s[0] > 0.1)
        }
    }

    @Test(arguments: [DType.float64, .float32])
    func eighDiagonalises(_ dtype: DType) throws {
        let a = Self.spd(5, seed: 7, dtype: dtype) - Tensor.eye(5, dtype: dtype) * 6  // indefinite too
        let (w, v) = try a.eigh()
        let (rtol, atol) = tolerance(dtype)
        #expect(closenessFailure(a.matmul(v), v * w.unsqueeze(0), rtol: rtol, atol: atol * 10) == nil)
        #expect(closenessFailure(v.T.matmul(v), Tensor.eye(5, dtype: dtype), rtol: rtol, atol: atol * 10) == nil)
        let values = w.toArray(as: Double.self)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test(arguments: [DType.float64, .float32])
    func choleskyFactorsAndIsLowerTriangular(_ dtype: DType) throws {
        let a = Self.spd(4, seed: 5, dtype: dtype)
        let l = try a.cholesky()
        let (rtol, atol) = tolerance(dtype)
        #expect(closenessFailure(l.matmul(l.T), a, rtol: rtol, atol: atol * 10) == nil)
        let values = l.toArray(as: Double.self)
        for i in 0..<4 { for j in (i + 1)..<4 { #expect(values[i * 4 + j] == 0) } }
        let u = try a.cholesky(upper: true)
        #expect(closenessFailure(u, l.T, rtol: 0, atol: 0) == nil)
    }

    @Test(arguments: [(6, 4), (4, 4), (3, 5)])
    func qrReconstructs(_ size: (Int, Int)) throws {
        let a = Self.random([size.0, size.1], seed: 9)
        let (q, r) = try a.qr()
        let k = min(size.0, size.1)
        #expect(closenessFailure(q.matmul(r), a, rtol: 1e-9, atol: 1e-10) == nil)
        #expect(closenessFailure(q.T.matmul(q), Tensor.eye(k, dtype: .float64), rtol: 1e-9, atol: 1e-10) == nil)
        let values = r.toArray(as: Double.self)
        for i in 0..<k { for j in 0..<min(i, size.1) { #expect(values[i * size.1 + j] == 0) } }
    }

    @Test(arguments: [DType.float64, .float32])
    func solveAndInvSatisfyTheirEquations(_ dtype: DType) throws {
        let a = Self.random([5, 5], seed: 21, dtype: dtype) + Tensor.eye(5, dtype: dtype) * 3
        let b = Self.random([5, 2], seed: 22, dtype: dtype)
        let (rtol, atol) = tolerance(dtype)
        let x = try Tensor.solve(a, b)
        #expect(closenessFailure(a.matmul(x), b, rtol: rtol, atol: atol * 10) == nil)
        let v = Self.random([5], seed: 23, dtype: dtype)
        let xv = try Tensor.solve(a, v)
        #expect(xv.shape == [5])
        #expect(closenessFailure(a.matmul(xv), v, rtol: rtol, atol: atol * 10) == nil)
        #expect(closenessFailure(a.matmul(try a.inv()), Tensor.eye(5, dtype: dtype), rtol: rtol, atol: atol * 10) == nil)
    }

    @Test func batchedInputsDecomposeEachMatrix() throws {
        let a = Tensor.stack([Self.spd(3, seed: 1), Self.spd(3, seed: 2)], dim: 0)
        let l = try a.cholesky()
        #expect(l.shape == [2, 3, 3])
        #expect(closenessFailure(l.matmul(l.T), a, rtol: 1e-9, atol: 1e-10) == nil)
        let inv = try a.inv()
        #expect(closenessFailure(inv.select(0, 1), try a.select(0, 1).inv(), rtol: 1e-12, atol: 1e-12) == nil)
        #expect(closenessFailure(a.matmul(inv), Tensor.stack([Tensor.eye(3, dtype: .float64), Tensor.eye(3, dtype: .float64)], dim: 0),
                                 rtol: 1e-9, atol: 1e-10) == nil)
    }

    /// Needs a LAPACK (OpenBLAS ships one); `TRAINKIT_LAPACK=none swift test --filter DecompositionTests` runs
    /// every other test here on the built-in routines.
    @Test(.enabled(if: HostLinalg.lapackAvailable, "the loaded BLAS has no LAPACK"))
    func builtinRoutinesAgreeWithLAPACK() throws {
        let a = Self.host(Self.random([7, 5], seed: 31))
        let sym = Self.host(Self.spd(6, seed: 32))
        // SVD: singular values equal; singular vectors equal up to sign.
        let (u1, s1, v1) = try HostLinalg.svd(a, .builtin)
        let (u2, s2, v2) = try HostLinalg.svd(a, .lapack)
        #expect(zip(s1, s2).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Self.equalUpToColumnSigns(u1, u2) && Self.equalUpToColumnSigns(v1.transposed, v2.transposed))
        // eigh
        let (w1, e1) = try HostLinalg.eigh(sym, .builtin)
        let (w2, e2) = try HostLinalg.eigh(sym, .lapack)
        #expect(zip(w1, w2).allSatisfy { abs($0 - $1) < 1e-11 })
        #expect(Self.equalUpToColumnSigns(e1, e2))
        // cholesky, solve: unique results
        let c1 = try HostLinalg.cholesky(sym, .builtin), c2 = try HostLinalg.cholesky(sym, .lapack)
        #expect(zip(c1.values, c2.values).allSatisfy { abs($0 - $1) < 1e-12 })
        let b = Self.host(Self.random([6, 3], seed: 33))
        let x1 = try HostLinalg.solve(sym, b, .builtin), x2 = try HostLinalg.solve(sym, b, .lapack)
        #expect(zip(x1.values, x2.values).allSatisfy { abs($0 - $1) < 1e-12 })
        // qr: unique up to the signs of Q's columns / R's rows
        let (q1, r1) = try HostLinalg.qr(a, .builtin), (q2, r2) = try HostLinalg.qr(a, .lapack)
        #expect(Self.equalUpToColumnSigns(q1, q2) && Self.equalUpToColumnSigns(r1.transposed, r2.transposed))
    }

    static func equalUpToColumnSigns(_ a: HostMatrix, _ b: HostMatrix, tolerance: Double = 1e-10) -> Bool {
        guard a.rows == b.rows && a.cols == b.cols else { return false }
        for j in 0..<a.cols {
            let same = (0..<a.rows).allSatisfy { abs(a[$0, j] - b[$0, j]) < tolerance }
            let flipped = (0..<a.rows).allSatisfy { abs(a[$0, j] + b[$0, j]) < tolerance }
            if !same && !flipped { return false }
        }
        return true
    }

    @Test(arguments: [LinalgImplementation.builtin, .automatic])
    func badInputThrowsNamedErrors(_ impl: LinalgImplementation) {
        let singular = HostMatrix(rows: 3, cols: 3, values: [1, 2, 3, 2, 4, 6, 1, 0, 1])
        #expect(throws: LinalgError.self) { try HostLinalg.solve(singular, .identity(3), impl) }
        let indefinite = HostMatrix(rows: 2, cols: 2, values: [1, 2, 2, 1])
        #expect(throws: LinalgError(op: "cholesky", .notPositiveDefinite(minor: 2))) {
            try HostLinalg.cholesky(indefinite, impl)
        }
        var nan = HostMatrix.identity(2)
        nan[1, 0] = .nan
        for run in [{ _ = try HostLinalg.svd(nan, impl) }, { _ = try HostLinalg.eigh(nan, impl) },
                    { _ = try HostLinalg.qr(nan, impl) }, { _ = try HostLinalg.cholesky(nan, impl) }] {
            #expect(throws: LinalgError.self) { try run() }
        }
    }

    @Test func tensorOpsNameTheirErrors() {
        let zero = Tensor.zeros([3, 3], dtype: .float64)
        #expect(throws: LinalgError(op: "inv", .singular(pivot: 0))) { try zero.inv() }
        #expect(throws: LinalgError(op: "solve", .notSquare(shape: [2, 3]))) {
            try Tensor.solve(Tensor.zeros([2, 3], dtype: .float64), Tensor.zeros([2], dtype: .float64))
        }
        #expect(throws: LinalgError(op: "eigh", .nonFinite)) { try Tensor([Double.infinity, 0, 0, 1], shape: [2, 2]).eigh() }
        #expect(throws: LinalgError(op: "svd", .unsupportedDType(.int64))) { try Tensor([1, 2, 3, 4], shape: [2, 2]).svd() }
        #expect(throws: LinalgError.self) { try Tensor([1.0, 2.0], shape: [2]).cholesky() }
    }

    @Test func solveGradientMatchesFiniteDifferences() {
        let a = Self.random([4, 4], seed: 41) + Tensor.eye(4, dtype: .float64) * 3
        let b = Self.random([4, 2], seed: 42), v = Self.random([4], seed: 43)
        #expect(gradientCheckFailure([a, b]) { try! Tensor.solve($0[0], $0[1]) } == nil)
        #expect(gradientCheckFailure([a, v]) { try! Tensor.solve($0[0], $0[1]) } == nil)
    }

    @Test func invGradientMatchesFiniteDifferences() {
        let a = Self.random([4, 4], seed: 44) + Tensor.eye(4, dtype: .float64) * 3
        #expect(gradientCheckFailure([a]) { try! $0[0].inv() } == nil)
    }

    @Test func choleskyGradientMatchesFiniteDifferences() {
        // Through A = M Mᵀ + 4I so every perturbation keeps A symmetric positive definite.
        let m = Self.random([4, 4], seed: 45)
        #expect(gradientCheckFailure([m]) { x in
            try! (x[0].matmul(x[0].T) + Tensor.eye(4, dtype: .float64) * 4).cholesky()
        } == nil)
        #expect(gradientCheckFailure([m]) { x in
            try! (x[0].matmul(x[0].T) + Tensor.eye(4, dtype: .float64) * 4).cholesky(upper: true)
        } == nil)
    }

    @Test func eighGradientMatchesFiniteDifferences() {
        // Symmetric input through M + Mᵀ; eigenvectors squared so their arbitrary signs do not matter.
        let m = Self.random([4, 4], seed: 46)
        #expect(gradientCheckFailure([m]) { x in try! (x[0] + x[0].T).eigh().eigenvalues } == nil)
        #expect(gradientCheckFailure([m]) { x in try! (x[0] + x[0].T).eigh().eigenvectors.square() } == nil)
    }

    @Test(arguments: [(5, 3), (3, 5), (4, 4)])
    func svdGradientMatchesFiniteDifferences(_ size: (Int, Int)) {
        let a = Self.random([size.0, size.1], seed: 47)
        #expect(gradientCheckFailure([a]) { x in try! x[0].svd().s } == nil)
        #expect(gradientCheckFailure([a]) { x in try! x[0].svd().u.square() } == nil)
        #expect(gradientCheckFailure([a]) { x in try! x[0].svd().vh.square() } == nil)
    }

    @Test(arguments: [(5, 3), (4, 4), (3, 5)])
    func qrGradientMatchesFiniteDifferences(_ size: (Int, Int)) {
        // Q and R squared: the sign of each Householder column is a convention.
        let a = Self.random([size.0, size.1], seed: 48)
        #expect(gradientCheckFailure([a]) { x in try! x[0].qr().q.square() } == nil)
        #expect(gradientCheckFailure([a]) { x in try! x[0].qr().r.square() } == nil)
    }

    @Test(arguments: [LinalgImplementation.builtin, .automatic], [(9, 4), (4, 4), (3, 6)])
    func rightSingularVectorsOnlyMatchTheFullSVD(_ impl: LinalgImplementation, _ size: (Int, Int)) throws {
        let a = Self.host(Self.random([size.0, size.1], seed: 49))
        let (_, s, vt) = try HostLinalg.svd(a, impl)
        let (s2, vt2) = try HostLinalg.svdRight(a, impl)
        #expect(zip(s, s2).allSatisfy { abs($0 - $1) < 1e-12 } && s.count == s2.count)
        #expect(Self.equalUpToColumnSigns(vt.transposed, vt2.transposed))
    }
}
