import CTrainKitKernels

/// Which implementation runs a decomposition: LAPACK from the BLAS found at run time when present
/// (`automatic`), or the built-in routines (``BuiltinLinalg``). Tests compare the two.
package enum LinalgImplementation: Sendable {
    case automatic, lapack, builtin
}

/// The decompositions on host float64 matrices, through LAPACK (column-major; transposes are done here)
/// or the built-in routines. Every entry checks for non-finite input first.
package enum HostLinalg {
    /// Whether LAPACK routines were found (in the loaded BLAS, or liblapack.so.3).
    package static var lapackAvailable: Bool { tk_lapack_available() != 0 }
    /// "openblas 0.3.x (...)", "liblapack.so.3" or "none".
    package static var lapackName: String { String(cString: tk_lapack_name()) }

    static func useLAPACK(_ implementation: LinalgImplementation) -> Bool {
        switch implementation {
        case .automatic: lapackAvailable
        case .lapack: true
        case .builtin: false
        }
    }

    static func checkFinite(_ m: HostMatrix, _ op: String) throws {
        if !m.isFinite { throw LinalgError(op: op, .nonFinite) }
    }

    /// LAPACK's int argument; larger matrices use the built-in routine.
    static func fits(_ values: Int...) -> Bool { values.allSatisfy { $0 < Int(Int32.max) / 8 } }

    /// Lower triangular `L`, `A = L Lᵀ` (reads the lower triangle).
    package static func cholesky(_ a: HostMatrix, _ implementation: LinalgImplementation = .automatic,
                                 op: String = "cholesky") throws -> HostMatrix {
        try checkFinite(a, op)
        let n = a.rows
        guard useLAPACK(implementation), fits(n * n) else { return try BuiltinLinalg.cholesky(a, op: op) }
        // Row-major A read as column-major is Aᵀ; dpotrf 'U' on it reads Aᵀ's upper = A's lower triangle and
        // writes U = Lᵀ column-major, which read row-major is L.
        var buffer = a.values
        let info = buffer.withUnsafeMutableBufferPointer { tk_lapack_dpotrf_upper(Int32(n), $0.baseAddress) }
        if info == TK_LAPACK_UNAVAILABLE { return try BuiltinLinalg.cholesky(a, op: op) }
        if info > 0 { throw LinalgError(op: op, .notPositiveDefinite(minor: Int(info))) }
        var l = HostMatrix(rows: n, cols: n, values: buffer)
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { l[i, j] = 0 } }
        return l
    }

    /// Eigenvalues ascending and eigenvectors (columns) of a symmetric matrix (reads the lower triangle).
    package static func eigh(_ a: HostMatrix, _ implementation: LinalgImplementation = .automatic) throws
        -> (values: [Double], vectors: HostMatrix)
    {
        try checkFinite(a, "eigh")
        let n = a.rows
        guard useLAPACK(implementation), fits(n * n), n > 0 else { return try BuiltinLinalg.eigh(a) }
        // Column-major view of row-major A is Aᵀ: its lower triangle is A's upper one, so symmetrise first.
        var sym = a
        for i in 0..<n { for j in (i + 1)..<n { sym[i, j] = a[j, i] } }
        var buffer = sym.values
        var w = [Double](repeating: 0, count: n)
        let info = buffer.withUnsafeMutableBufferPointer { b in
            w.withUnsafeMutableBufferPointer { tk_lapack_dsyevd(Int32(n), b.baseAddress, $0.baseAddress) }
        }
        if info == TK_LAPACK_UNAVAILABLE { return try BuiltinLinalg.eigh(a) }
        if info != 0 { throw LinalgError(op: "eigh", .noConvergence) }
        // Eigenvectors are the columns of the column-major result: row-major that is Vᵀ.
        return (w, HostMatrix(rows: n, cols: n, values: buffer).transposed)
    }

    /// Thin SVD: `U` [m, k], `S` [k] descending, `Vᵀ` [k, n].
    package static func svd(_ a: HostMatrix, _ implementation: LinalgImplementation = .automatic) throws
        -> (u: HostMatrix, s: [Double], vt: HostMatrix)
    {
        try checkFinite(a, "svd")
        let (m, n) = (a.rows, a.cols)
        let k = min(m, n)
        guard useLAPACK(implementation), fits(m * n), k > 0 else { return try BuiltinLinalg.svd(a) }
        // The buffer read column-major is Aᵀ [n, m] = U' S V'ᵀ, so A = V' S U'ᵀ: A's U is V' (whose
        // column-major Vᵀ' [k, m] read row-major is V' [m, k]) and A's Vᵀ is U'ᵀ (U' [n, k] column-major read
        // row-major).
        var buffer = a.values
        var s = [Double](repeating: 0, count: k)
        var uPrime = [Double](repeating: 0, count: n * k), vtPrime = [Double](repeating: 0, count: k * m)
        let info = buffer.withUnsafeMutableBufferPointer { ab in
            s.withUnsafeMutableBufferPointer { sb in
                uPrime.withUnsafeMutableBufferPointer { ub in
                    vtPrime.withUnsafeMutableBufferPointer { vb in
                        tk_lapack_dgesdd(Int32(n), Int32(m), ab.baseAddress, sb.baseAddress, ub.baseAddress,
                                         vb.baseAddress)
                    }
                }
            }
        }
        if info == TK_LAPACK_UNAVAILABLE { return try BuiltinLinalg.svd(a) }
        if info != 0 { throw LinalgError(op: "svd", .noConvergence) }
        return (HostMatrix(rows: m, cols: k, values: vtPrime), s, HostMatrix(rows: k, cols: n, values: uPrime))
    }

    /// Singular values (descending) and right singular vectors `Vᵀ` [k, n] only. A tall `A` (m > n) is
    /// reduced to the `n × n` triangular factor of its QR first (`A = Q R` has `R`'s singular values and
    /// right vectors), so neither `Q` nor `U` is formed: PCA's full solver on `n ≫ d` data.
    package static func svdRight(_ a: HostMatrix, _ implementation: LinalgImplementation = .automatic) throws
        -> (s: [Double], vt: HostMatrix)
    {
        try checkFinite(a, "svd")
        let (m, n) = (a.rows, a.cols)
        guard m > n, n > 0 else {
            let (_, s, vt) = try svd(a, implementation)
            return (s, vt)
        }
        var r: HostMatrix
        if useLAPACK(implementation), fits(m * n) {
            var buffer = a.transposed.values  // column-major
            var rBuffer = [Double](repeating: 0, count: n * n)
            let info = buffer.withUnsafeMutableBufferPointer { ab in
                rBuffer.withUnsafeMutableBufferPointer { tk_lapack_dqr_r(Int32(m), Int32(n), ab.baseAddress, $0.baseAddress) }
            }
            if info == TK_LAPACK_UNAVAILABLE {
                r = BuiltinLinalg.qr(a).r
            } else if info != 0 {
                throw LinalgError(op: "svd", .noConvergence)
            } else {
                r = HostMatrix(rows: n, cols: n, values: rBuffer).transposed
            }
        } else {
            r = BuiltinLinalg.qr(a).r
        }
        let (_, s, vt) = try svd(r, implementation)
        return (s, vt)
    }

    /// ``svdRight(_:_:)`` of a tall float32 matrix given column-major (`m × n`, m > n, destroyed): the QR runs in
    /// float32 (LAPACK sgeqrf), as scikit-learn's full PCA computes float32 data in float32; the `n × n` SVD of
    /// `R` in float64. Nil when no LAPACK with sgeqrf is loaded (take the float64 path then).
    package static func svdRightTall(columnMajor a: inout [Float], rows m: Int, cols n: Int) throws
        -> (s: [Double], vt: HostMatrix)?
    {
        guard m > n, n > 0, useLAPACK(.automatic), fits(m * n) else { return nil }
        var rBuffer = [Float](repeating: 0, count: n * n)
        let info = a.withUnsafeMutableBufferPointer { ab in
            rBuffer.withUnsafeMutableBufferPointer { tk_lapack_sqr_r(Int32(m), Int32(n), ab.baseAddress, $0.baseAddress) }
        }
        if info == TK_LAPACK_UNAVAILABLE { return nil }
        if info != 0 { throw LinalgError(op: "svd", .noConvergence) }
        let r = HostMatrix(rows: n, cols: n, values: rBuffer.map { Double($0) }).transposed
        let (_, s, vt) = try svd(r)
        return (s, vt)
    }

    /// `A = Q R`, `Q` [m, k] orthonormal columns, `R` [k, n] upper triangular, `k = min(m, n)`.
    package static func qr(_ a: HostMatrix, _ implementation: LinalgImplementation = .automatic) throws
        -> (q: HostMatrix, r: HostMatrix)
    {
        try checkFinite(a, "qr")
        let (m, n) = (a.rows, a.cols)
        guard useLAPACK(implementation), fits(m * n), m >= n, n > 0 else { return BuiltinLinalg.qr(a) }
        var buffer = a.transposed.values  // column-major
        var r = [Double](repeating: 0, count: n * n)
        let info = buffer.withUnsafeMutableBufferPointer { ab in
            r.withUnsafeMutableBufferPointer { tk_lapack_dqr(Int32(m), Int32(n), ab.baseAddress, $0.baseAddress) }
        }
        if info == TK_LAPACK_UNAVAILABLE { return BuiltinLinalg.qr(a) }
        if info != 0 { throw LinalgError(op: "qr", .noConvergence) }
        return (HostMatrix(rows: n, cols: m, values: buffer).transposed, HostMatrix(rows: n, cols: n, values: r).transposed)
    }

    /// `X` with `A X = B`: `a` [n, n], `b` [n, r].
    package static func solve(_ a: HostMatrix, _ b: HostMatrix, _ implementation: LinalgImplementation = .automatic,
                              op: String = "solve") throws -> HostMatrix {
        try checkFinite(a, op)
        try checkFinite(b, op)
        let n = a.rows
        guard useLAPACK(implementation), fits(n * n, n * b.cols), n > 0, b.cols > 0 else {
            return try BuiltinLinalg.solve(a, b, op: op)
        }
        var aBuffer = a.transposed.values, bBuffer = b.transposed.values
        let info = aBuffer.withUnsafeMutableBufferPointer { ab in
            bBuffer.withUnsafeMutableBufferPointer { tk_lapack_dgesv(Int32(n), Int32(b.cols), ab.baseAddress, $0.baseAddress) }
        }
        if info == TK_LAPACK_UNAVAILABLE { return try BuiltinLinalg.solve(a, b, op: op) }
        if info > 0 { throw LinalgError(op: op, .singular(pivot: Int(info) - 1)) }
        let x = HostMatrix(rows: b.cols, cols: n, values: bBuffer).transposed
        if !x.isFinite { throw LinalgError(op: op, .singular(pivot: n - 1)) }
        return x
    }
}
