import TrainKitCore

/// Randomized truncated SVD (Halko, Martinsson & Tropp 2011; scikit-learn's `randomized_svd`).
enum RandomizedSVD {
    /// Top-`k` singular values and right singular vectors (rows of `Vᵀ`, `[k, cols]`) of `a` [n, d] (on its
    /// device, in its dtype: the products run there): `Q₀ ~ N(0, 1)` [d, k + oversamples]; `iterations` times
    /// `Q = norm(A Q)`, `Q = norm(Aᵀ Q)`; `Q = qr(A Q)`; then the exact SVD of `B = Qᵀ A` [k + p, d]. The final
    /// thin QR of the `[n, k + p]` panel runs on the host in float64.
    static func topRight(_ a: Tensor, k: Int, oversamples: Int, iterations: Int,
                         seed: UInt64) throws -> (singular: [Double], vt: [Double]) {
        let (n, d) = (a.shape[0], a.shape[1])
        let probes = min(k + max(oversamples, 0), min(n, d))
        var sampler = NormalSampler(seed: seed)
        func onDevice(_ values: [Double], rows: Int) -> Tensor {
            Tensor.fromHost(values, shape: [rows, probes], dtype: a.dtype, device: a.device)
        }
        func orthonormal(_ m: Tensor) throws -> Tensor {
            let rows = m.shape[0]
            return onDevice(try HostLinalg.qr(HostMatrix(rows: rows, cols: probes, values: m.toArray(as: Double.self))).q.values,
                            rows: rows)
        }
        // A basis of `m`'s column space for the next power iteration (scikit-learn normalises these with an LU
        // factor; any well-conditioned basis of the same space serves): Cholesky QR, `m L⁻ᵀ` with `mᵀm = L Lᵀ`,
        // two small products instead of a Householder QR of the tall panel. The host QR when `mᵀm` is not
        // numerically positive definite.
        func normalised(_ m: Tensor) throws -> Tensor {
            let gram = HostMatrix(rows: probes, cols: probes, values: noGrad { m.T.mm(m) }.toArray(as: Double.self))
            guard let l = try? HostLinalg.cholesky(gram) else { return try orthonormal(m) }
            var identity = HostMatrix(rows: probes, cols: probes, values: [Double](repeating: 0, count: probes * probes))
            for i in 0..<probes { identity[i, i] = 1 }
            let lInverse = BuiltinLinalg.solveTriangular(l, identity, lower: true)
            return noGrad { m.mm(onDevice(lInverse.transposed.values, rows: probes)) }
        }
        var q = onDevice((0..<(d * probes)).map { _ in sampler.next() }, rows: d)  // [d, probes]
        for _ in 0..<max(iterations, 0) {
            q = try normalised(noGrad { a.mm(q) })    // [n, probes]
            q = try normalised(noGrad { a.T.mm(q) })  // [d, probes]
        }
        let range = try orthonormal(noGrad { a.mm(q) })  // [n, probes]
        let b = noGrad { range.T.mm(a) }.toArray(as: Double.self)  // [probes, d]
        let (_, s, vt) = try HostLinalg.svd(HostMatrix(rows: probes, cols: d, values: b))
        return (Array(s.prefix(k)), Array(vt.values.prefix(k * d)))
    }
}
