import TrainKitCore

/// Principal component analysis (scikit-learn's `PCA`): the `nComponents` directions of largest variance.
///
/// With the centred data `X̄ = X - μ` [n, d] and its thin SVD `X̄ = U S Vᵀ`, the components are the first
/// `k` rows of `Vᵀ` (eigenvectors of the covariance `X̄ᵀX̄/(n-1)`), `explained_variance = S²/(n-1)`,
/// `explained_variance_ratio = explained_variance / Σ_f Var(x_f)` (sample variances of all `d` features),
/// `transform(X) = (X - μ) Vₖ` (÷ `√explained_variance` with `whiten`) and
/// `inverseTransform(Z) = Z Vₖᵀ + μ` (× `√explained_variance` first with `whiten`). Each component is
/// sign-normalised so that its entry of largest magnitude is positive (scikit-learn's `svd_flip` on `Vᵀ`),
/// which makes results comparable across solvers.
///
/// Solvers: `full` (LAPACK/built-in SVD of `X̄`), `covarianceEigh` (eigen-decomposition of the `d × d`
/// covariance, fast for `n ≫ d`), `randomized` (Halko et al., as scikit-learn's `randomized_svd`:
/// `nComponents + nOversamples` Gaussian probes, `nIter` power iterations each normalised by QR — `nil` picks
/// 7 when `k < 0.1 min(n, d)`, else 4 — then the SVD of the small projected matrix), `auto`
/// (scikit-learn's rule: `covarianceEigh` for `d ≤ 1000` and `n ≥ 10 d`, `randomized` when
/// `max(n, d) > 500` and `k < 0.8 min(n, d)`, else `full`).
///
/// ```swift
/// let pca = try PCA(nComponents: 2).fit(x)          // x: [n, d]
/// let z = try pca.transform(x)                      // [n, 2]
/// let back = try pca.inverseTransform(z)            // [n, d]
/// pca.explainedVarianceRatio
/// ```
public struct PCA: Sendable {
    public enum Solver: String, Sendable, CaseIterable {
        case auto, full, covarianceEigh = "covariance_eigh", randomized
    }

    /// Components kept; nil keeps `min(n, d)`.
    public var nComponents: Int?
    public var whiten: Bool
    public var svdSolver: Solver
    /// Extra random probes of the randomized solver.
    public var nOversamples: Int
    /// Power iterations of the randomized solver (nil: 7 or 4, see above).
    public var nIter: Int?
    public var seed: UInt64

    public init(nComponents: Int? = nil, whiten: Bool = false, svdSolver: Solver = .auto, nOversamples: Int = 10,
                nIter: Int? = nil, seed: UInt64 = 0) {
        self.nComponents = nComponents
        self.whiten = whiten
        self.svdSolver = svdSolver
        self.nOversamples = nOversamples
        self.nIter = nIter
        self.seed = seed
    }

    /// The solver `auto` resolves to for data of `n × d` keeping `k`.
    public static func resolvedSolver(_ solver: Solver, samples n: Int, features d: Int, components k: Int) -> Solver {
        guard solver == .auto else { return solver }
        if d <= 1000 && n >= 10 * d { return .covarianceEigh }
        if max(n, d) > 500 && Double(k) < 0.8 * Double(min(n, d)) { return .randomized }
        return .full
    }

    /// Fits the components to `x` [samples, features].
    public func fit(_ x: Tensor) throws -> PCAModel {
        let data = try DataMatrix(x, algorithm: "pca")
        let (n, d) = (data.rows, data.cols)
        guard n >= 2 else {
            throw UnsupervisedError.tooManyComponents(algorithm: "pca", requested: n, limit: 2,
                                                      reason: "PCA needs at least 2 samples")
        }
        let limit = min(n, d)
        let k = nComponents ?? limit
        guard k >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: "pca", name: "nComponents", value: "\(k)", expected: ">= 1")
        }
        guard k <= limit else {
            throw UnsupervisedError.tooManyComponents(algorithm: "pca", requested: k, limit: limit,
                                                      reason: "nComponents must not exceed min(samples, features)")
        }
        let mean = data.columnMeans
        // The centred data on the device in the data's dtype (the randomized solver's products, the float32 QR).
        let centredData = noGrad {
            data.source - Tensor.fromHost(mean, shape: [1, d], dtype: data.dtype, device: data.source.device)
        }
        var centredHost: [Double] {
            var centred = data.values
            for i in 0..<n { for j in 0..<d { centred[i * d + j] -= mean[j] } }
            return centred
        }
        let totalVariance = data.columnVariances.reduce(0, +) * Double(n) / Double(n - 1)
        guard totalVariance > 0 else { throw UnsupervisedError.constantData(algorithm: "pca") }

        let solver = PCA.resolvedSolver(svdSolver, samples: n, features: d, components: k)
        var singular: [Double]
        var components: [Double]  // [k, d]
        do {
            switch solver {
            case .full, .auto:
                let (s, vt) = try PCA.fullSVD(centredData, centredHost: { centredHost })
                singular = Array(s.prefix(k))
                components = Array(vt.values.prefix(k * d))
            case .covarianceEigh:
                let t = Tensor(centredHost, shape: [n, d])
                let gram = noGrad { t.T.mm(t) }.toArray(as: Double.self)
                let (values, vectors) = try HostLinalg.eigh(HostMatrix(rows: d, cols: d, values: gram))
                singular = []
                components = []
                for c in 0..<k {
                    let col = d - 1 - c
                    singular.append(max(values[col], 0).squareRoot())
                    for j in 0..<d { components.append(vectors[j, col]) }
                }
            case .randomized:
                (singular, components) = try RandomizedSVD.topRight(centredData, k: k,
                                                                      oversamples: nOversamples,
                                                                      iterations: nIter ?? (Double(k) < 0.1 * Double(limit) ? 7 : 4),
                                                                      seed: seed)
            }
        } catch let error as LinalgError {
            throw UnsupervisedError.linalg(error)
        }
        PCA.flipSigns(&components, rows: k, cols: d)
        let variance = singular.map { $0 * $0 / Double(n - 1) }
        if whiten, variance.contains(where: { $0 <= 0 }) {
            throw UnsupervisedError.invalidParameter(algorithm: "pca", name: "whiten", value: "true",
                                                     expected: "components of non-zero variance (the data has fewer independent directions than nComponents)")
        }
        return PCAModel(mean: mean, components: components, explainedVariance: variance,
                        explainedVarianceRatio: variance.map { $0 / totalVariance }, singularValues: singular,
                        features: d, whiten: whiten, dtype: data.dtype, solver: solver)
    }

    /// Singular values and right vectors of the centred data `[n, d]`: float32 data through a float32 QR when the
    /// LAPACK has one (as scikit-learn's full solver keeps float32), otherwise the float64 host values.
    static func fullSVD(_ centred: Tensor, centredHost: () -> [Double]) throws -> (s: [Double], vt: HostMatrix) {
        let (n, d) = (centred.shape[0], centred.shape[1])
        if centred.dtype == .float32, n > d {
            var columnMajor = noGrad { centred.T.contiguous() }.toArray(as: Float.self)
            if let result = try HostLinalg.svdRightTall(columnMajor: &columnMajor, rows: n, cols: d) { return result }
        }
        return try HostLinalg.svdRight(HostMatrix(rows: n, cols: d, values: centredHost()))
    }

    /// Makes the entry of largest |value| of every row positive (`svd_flip` with `u_based_decision=False`).
    static func flipSigns(_ rows: inout [Double], rows k: Int, cols d: Int) {
        for r in 0..<k {
            var best = 0
            for j in 1..<max(d, 1) where abs(rows[r * d + j]) > abs(rows[r * d + best]) { best = j }
            if rows[r * d + best] < 0 { for j in 0..<d { rows[r * d + j] = -rows[r * d + j] } }
        }
    }
}

/// A fitted PCA.
public struct PCAModel: Sendable {
    let hostMean: [Double]
    let hostComponents: [Double]
    let features: Int
    let dtype: DType
    /// Per-feature means `[d]`.
    public var mean: Tensor { Tensor.fromHost(hostMean, shape: [features], dtype: dtype, device: .default) }
    /// Principal axes `[k, d]` (unit rows, decreasing variance, largest-|entry| positive).
    public var components: Tensor { Tensor.fromHost(hostComponents, shape: [nComponents, features], dtype: dtype, device: .default) }
    /// Variance along each component (divisor n - 1).
    public let explainedVariance: [Double]
    /// `explainedVariance` ÷ the total variance of the data.
    public let explainedVarianceRatio: [Double]
    /// Singular values of the centred data for the kept components.
    public let singularValues: [Double]
    public let whiten: Bool
    /// The solver that ran (`auto` resolved).
    public let solver: PCA.Solver

    init(mean: [Double], components: [Double], explainedVariance: [Double], explainedVarianceRatio: [Double],
         singularValues: [Double], features: Int, whiten: Bool, dtype: DType, solver: PCA.Solver) {
        hostMean = mean
        hostComponents = components
        self.explainedVariance = explainedVariance
        self.explainedVarianceRatio = explainedVarianceRatio
        self.singularValues = singularValues
        self.features = features
        self.whiten = whiten
        self.dtype = dtype
        self.solver = solver
    }

    public var nComponents: Int { explainedVariance.count }

    /// `(X - μ) Vₖ` [m, k] (÷ `√explained_variance` per column with whiten), in `x`'s dtype.
    public func transform(_ x: Tensor) throws -> Tensor {
        let data = try DataMatrix(x, algorithm: "pca")
        guard data.cols == features else { throw UnsupervisedError.featureMismatch(algorithm: "pca", expected: features, got: data.cols) }
        var centred = data.values
        for i in 0..<data.rows { for j in 0..<features { centred[i * features + j] -= hostMean[j] } }
        var z = HostProducts.multiply(centred, (data.rows, features), hostComponents, (nComponents, features), transposeB: true)
        if whiten {
            let scale = explainedVariance.map { 1 / $0.squareRoot() }
            for i in 0..<data.rows { for c in 0..<nComponents { z[i * nComponents + c] *= scale[c] } }
        }
        return Tensor.fromHost(z, shape: [data.rows, nComponents], dtype: data.dtype, device: x.device)
    }

    /// `Z Vₖᵀ + μ` [m, d] (`Z` × `√explained_variance` first with whiten): back to feature space.
    public func inverseTransform(_ z: Tensor) throws -> Tensor {
        guard z.rank == 2, z.shape[1] == nComponents, z.dtype.isFloatingPoint else {
            throw UnsupervisedError.featureMismatch(algorithm: "pca", expected: nComponents, got: z.rank == 2 ? z.shape[1] : -1)
        }
        let m = z.shape[0]
        var values = z.toArray(as: Double.self)
        if whiten {
            for i in 0..<m { for c in 0..<nComponents { values[i * nComponents + c] *= explainedVariance[c].squareRoot() } }
        }
        var x = HostProducts.multiply(values, (m, nComponents), hostComponents, (nComponents, features))
        for i in 0..<m { for j in 0..<features { x[i * features + j] += hostMean[j] } }
        return Tensor.fromHost(x, shape: [m, features], dtype: z.dtype, device: z.device)
    }
}
