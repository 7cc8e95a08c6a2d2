import TrainKitCore

/// Randomized truncated SVD (Halko, Martinsson & Tropp 2011; scikit-learn's `randomized_svd`).
enum RandomizedSVD {
    /// Top-`k` singular values and right singular vectors (rows of `Vᵀ`, `[k, cols]`) of row-major `a`:
    /// `Q₀ ~ N(0, 1)` [cols, k + oversamples]; `iterations` times `Q = qr(A Q)`, `Q = qr(Aᵀ Q)`;
    /// `Q = qr(A Q)`; then the exact SVD of `B = Qᵀ A` [k + p, cols].
    static func topRight(_ a: [Double], rows n: Int, cols d: Int, k: Int, oversamples: Int, iterations: Int,
                         seed: UInt64) throws -> (singular: [Double], vt: [Double]) {
        let probes = min(k + max(oversamples, 0), min(n, d))
        var sampler = NormalSampler(seed: seed)
        var q = (0..<(d * probes)).map { _ in sampler.next() }  // [d, probes]
        func orthonormal(_ m: [Double], rows: Int) throws -> [Double] {
            try HostLinalg.qr(HostMatrix(rows: rows, cols: probes, values: m)).q.values
        }
        for _ in 0..<max(iterations, 0) {
            q = try orthonormal(HostProducts.multiply(a, (n, d), q, (d, probes)), rows: n)  // [n, probes]
            q = try orthonormal(HostProducts.multiply(a, (n, d), transposeA: true, q, (n, probes)), rows: d)
        }
        let range = try orthonormal(HostProducts.multiply(a, (n, d), q, (d, probes)), rows: n)  // [n, probes]
        let b = HostProducts.multiply(range, (n, probes), transposeA: true, a, (n, d))  // [probes, d]
        let (_, s, vt) = try HostLinalg.svd(HostMatrix(rows: probes, cols: d, values: b))
        return (Array(s.prefix(k)), Array(vt.values.prefix(k * d)))
    }
}
