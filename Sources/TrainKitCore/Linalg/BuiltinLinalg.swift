/// The built-in decompositions: plain, correct float64 routines used when no LAPACK was found at run time
/// (and tested against LAPACK when it was). Matrices are row-major ``HostMatrix`` values.
package enum BuiltinLinalg {
    /// Cholesky–Banachiewicz: lower triangular `L` with `A = L Lᵀ`, reading the lower triangle of `a` [n, n].
    /// Throws `notPositiveDefinite(minor:)` (1-based order) when a pivot `A_jj - Σ_k L_jk²` is not positive.
    package static func cholesky(_ a: HostMatrix, op: String = "cholesky") throws -> HostMatrix {
        let n = a.rows
        var l = HostMatrix(zeros: n, n)
        for j in 0..<n {
            var d = a[j, j]
            for k in 0..<j { d -= l[j, k] * l[j, k] }
            guard d > 0, d.isFinite else { throw LinalgError(op: op, .notPositiveDefinite(minor: j + 1)) }
            let ljj = d.squareRoot()
            l[j, j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = a[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / ljj
            }
        }
        return l
    }

    /// Cyclic Jacobi eigenvalue algorithm for a symmetric `a` [n, n]: rotations `J(p, q, θ)` zero the
    /// off-diagonal `a_pq` one at a time (`tan 2θ = 2 a_pq / (a_qq - a_pp)`) until the off-diagonal mass is
    /// below `1e-15 ×` the Frobenius norm. Returns eigenvalues ascending and the eigenvectors as the columns of
    /// `V` (`A = V diag(w) Vᵀ`).
    package static func eigh(_ input: HostMatrix) throws -> (values: [Double], vectors: HostMatrix) {
        let n = input.rows
        var a = input
        // Symmetrise from the lower triangle (LAPACK's 'L' reads only that one).
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { a[i, j] = a[j, i] } }
        var v = HostMatrix.identity(n)
        let norm = a.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var converged = n < 2
        for _ in 0..<100 where !converged {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<n { off += a[p, q] * a[p, q] } }
            if off.squareRoot() <= 1e-15 * max(norm, .leastNormalMagnitude) { converged = true; break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p, q]
                    if apq == 0 { continue }
                    let theta = (a[q, q] - a[p, p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {  // A ← A J (columns p, q)
                        let akp = a[k, p], akq = a[k, q]
                        a[k, p] = c * akp - s * akq
                        a[k, q] = s * akp + c * akq
                    }
                    for k in 0..<n {  // A ← Jᵀ A (rows p, q)
                        let apk = a[p, k], aqk = a[q, k]
                        a[p, k] = c * apk - s * aqk
                        a[q, k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k, p], vkq = v[k, q]
                        v[k, p] = c * vkp - s * vkq
                        v[k, q] = s * vkp + c * vkq
                    }
                }
            }
        }
        guard converged else { throw LinalgError(op: "eigh", .noConvergence) }
        let order = (0..<n).sorted { a[$0, $0] < a[$1, $1] }
        var vectors = HostMatrix(zeros: n, n)
        for (newIndex, old) in order.enumerated() { for k in 0..<n { vectors[k, newIndex] = v[k, old] } }
        return (order.map { a[$0, $0] }, vectors)
    }

    /// Thin SVD by one-sided Jacobi (Hestenes): column pairs of `U = A` are rotated until mutually orthogonal
    /// (`|u_pᵀu_q| ≤ 1e-15 ‖u_p‖‖u_q‖`), accumulating the rotations in `V`; then `σ_j = ‖u_j‖`, `u_j /= σ_j`.
    /// `a` [m, n] → `U` [m, k], `S` [k] descending, `Vᵀ` [k, n], `k = min(m, n)`. Columns of `U` for zero
    /// singular values are completed to an orthonormal set. Tall matrices are reduced by a Householder QR
    /// first (`A = Q R`, `R = U_R S Vᵀ`, `U = Q U_R`).
    package static func svd(_ a: HostMatrix) throws -> (u: HostMatrix, s: [Double], vt: HostMatrix) {
        if a.rows < a.cols {
            let (u, s, vt) = try svd(a.transposed)
            return (vt.transposed, s, u.transposed)
        }
        if a.rows > a.cols {
            // Tall: A = Q R first, so the rotations work on the small R (n × n) instead of m-long columns.
            let (q, r) = qr(a)
            let (ur, s, vt) = try jacobiSVD(r)
            return (q.multiplied(by: ur), s, vt)
        }
        return try jacobiSVD(a)
    }

    /// One-sided Jacobi on `a` [m, n] with m ≥ n (see ``svd(_:)``).
    static func jacobiSVD(_ a: HostMatrix) throws -> (u: HostMatrix, s: [Double], vt: HostMatrix) {
        let (m, n) = (a.rows, a.cols)
        // Work on columns: store Aᵀ so each column is contiguous.
        var ut = a.transposed  // [n, m], row j = column j of U
        var vt = HostMatrix.identity(n)  // row j = column j of V
        var converged = n < 2
        for _ in 0..<80 where !converged {
            var rotated = false
            for p in 0..<max(n - 1, 0) {
                for q in (p + 1)..<n {
                    var alpha = 0.0, beta = 0.0, gamma = 0.0
                    for i in 0..<m {
                        let x = ut[p, i], y = ut[q, i]
                        alpha += x * x; beta += y * y; gamma += x * y
                    }
                    if gamma == 0 || abs(gamma) <= 1e-15 * (alpha * beta).squareRoot() { continue }
                    rotated = true
                    let zeta = (beta - alpha) / (2 * gamma)
                    let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = c * t
                    for i in 0..<m {
                        let x = ut[p, i], y = ut[q, i]
                        ut[p, i] = c * x - s * y
                        ut[q, i] = s * x + c * y
                    }
                    for i in 0..<n {
                        let x = vt[p, i], y = vt[q, i]
                        vt[p, i] = c * x - s * y
                        vt[q, i] = s * x + c * y
                    }
                }
            }
            if !rotated { converged = true }
        }
        guard converged else { throw LinalgError(op: "svd", .noConvergence) }
        var sigma = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var s = 0.0
            for i in 0..<m { s += ut[j, i] * ut[j, i] }
            sigma[j] = s.squareRoot()
        }
        let order = (0..<n).sorted { sigma[$0] > sigma[$1] }
        var u = HostMatrix(zeros: m, n), vOut = HostMatrix(zeros: n, n)
        let tiny = (sigma.max() ?? 0) * Double(max(m, n)) * Double.ulpOfOne
        var zeroColumns: [Int] = []
        for (k, j) in order.enumerated() {
            for i in 0..<n { vOut[k, i] = vt[j, i] }
            if sigma[j] > tiny {
                for i in 0..<m { u[i, k] = ut[j, i] / sigma[j] }
            } else {
                zeroColumns.append(k)
            }
        }
        completeOrthonormalColumns(&u, columns: zeroColumns)
        return (u, order.map { sigma[$0] }, vOut)
    }

    /// Fills the listed columns of `u` (zero on entry) with unit vectors orthogonal to every other column
    /// (Gram–Schmidt of the standard basis vectors, twice for stability).
    static func completeOrthonormalColumns(_ u: inout HostMatrix, columns: [Int]) {
        guard !columns.isEmpty else { return }
        let m = u.rows
        var filled = Set(0..<u.cols).subtracting(columns)
        var basis = 0
        for col in columns {
            while basis < m {
                var v = [Double](repeating: 0, count: m)
                v[basis] = 1
                basis += 1
                for _ in 0..<2 {
                    for other in filled {
                        var dot = 0.0
                        for i in 0..<m { dot += u[i, other] * v[i] }
                        for i in 0..<m { v[i] -= dot * u[i, other] }
                    }
                }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 1e-8 {
                    for i in 0..<m { u[i, col] = v[i] / norm }
                    filled.insert(col)
                    break
                }
            }
        }
    }

    /// Householder QR: `a` [m, n] = `Q R`, `Q` [m, k] with orthonormal columns, `R` [k, n] upper triangular,
    /// `k = min(m, n)`. Reflector j is `H_j = I - 2 v vᵀ / vᵀv` with `v = x + sign(x_0)‖x‖ e_0` on the
    /// column below the diagonal (LAPACK's sign choice, so R's diagonal may be negative).
    package static func qr(_ a: HostMatrix) -> (q: HostMatrix, r: HostMatrix) {
        let (m, n) = (a.rows, a.cols)
        let k = min(m, n)
        var r = a
        var reflectors: [[Double]] = []
        for j in 0..<k {
            var v = (j..<m).map { r[$0, j] }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm == 0 { reflectors.append([]); continue }
            v[0] += v[0] >= 0 ? norm : -norm
            let vv = v.reduce(0) { $0 + $1 * $1 }
            for c in j..<n {
                var dot = 0.0
                for i in j..<m { dot += v[i - j] * r[i, c] }
                let f = 2 * dot / vv
                for i in j..<m { r[i, c] -= f * v[i - j] }
            }
            reflectors.append(v)
        }
        // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity.
        var q = HostMatrix(zeros: m, k)
        for i in 0..<k { q[i, i] = 1 }
        for j in stride(from: k - 1, through: 0, by: -1) {
            let v = reflectors[j]
            if v.isEmpty { continue }
            let vv = v.reduce(0) { $0 + $1 * $1 }
            for c in 0..<k {
                var dot = 0.0
                for i in j..<m { dot += v[i - j] * q[i, c] }
                let f = 2 * dot / vv
                for i in j..<m { q[i, c] -= f * v[i - j] }
            }
        }
        var rOut = HostMatrix(zeros: k, n)
        for i in 0..<k { for c in i..<n { rOut[i, c] = r[i, c] } }
        return (q, rOut)
    }

    /// Solves `A X = B` by LU with partial pivoting (row swaps by largest |pivot|): `a` [n, n], `b` [n, r].
    /// Throws `singular(pivot:)` when a pivot is exactly zero, as LAPACK's dgesv.
    package static func solve(_ a: HostMatrix, _ b: HostMatrix, op: String = "solve") throws -> HostMatrix {
        let n = a.rows, r = b.cols
        var lu = a, x = b
        for j in 0..<n {
            var pivotRow = j
            for i in (j + 1)..<max(n, j + 1) where abs(lu[i, j]) > abs(lu[pivotRow, j]) { pivotRow = i }
            guard lu[pivotRow, j] != 0 else { throw LinalgError(op: op, .singular(pivot: j)) }
            if pivotRow != j {
                for c in 0..<n { lu.values.swapAt(j * n + c, pivotRow * n + c) }
                for c in 0..<r { x.values.swapAt(j * r + c, pivotRow * r + c) }
            }
            let p = lu[j, j]
            for i in (j + 1)..<max(n, j + 1) {
                let f = lu[i, j] / p
                if f == 0 { continue }
                lu[i, j] = f
                for c in (j + 1)..<n { lu[i, c] -= f * lu[j, c] }
                for c in 0..<r { x[i, c] -= f * x[j, c] }
            }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for c in 0..<r {
                var s = x[i, c]
                for k in (i + 1)..<max(n, i + 1) { s -= lu[i, k] * x[k, c] }
                x[i, c] = s / lu[i, i]
            }
        }
        return x
    }

    /// Solves `T X = B` for triangular `t` [n, n] (`lower`: forward substitution, else backward).
    package static func solveTriangular(_ t: HostMatrix, _ b: HostMatrix, lower: Bool) -> HostMatrix {
        let n = t.rows, r = b.cols
        var x = b
        let order: [Int] = lower ? Array(0..<n) : Array((0..<n).reversed())
        for i in order {
            for c in 0..<r {
                var s = x[i, c]
                if lower { for k in 0..<i { s -= t[i, k] * x[k, c] } } else { for k in (i + 1)..<max(n, i + 1) { s -= t[i, k] * x[k, c] } }
                x[i, c] = s / t[i, i]
            }
        }
        return x
    }
}
