import Foundation
import TrainKitCore

/// A Gaussian mixture fitted by expectation–maximisation (scikit-learn's `GaussianMixture`).
///
/// The density is `p(x) = Σ_j w_j N(x | μ_j, Σ_j)`. Each iteration runs an E-step — responsibilities
/// `r_ij = w_j N(x_i | μ_j, Σ_j) / p(x_i)` and the lower bound `L = mean_i log p(x_i)` with the current
/// parameters — then an M-step: `n_j = Σ_i r_ij + 10 ε`, `μ_j = Σ_i r_ij x_i / n_j`,
/// `Σ_j = Σ_i r_ij (x_i - μ_j)(x_i - μ_j)ᵀ / n_j + regCovar·I`, `w_j = n_j / Σ n`. It stops when
/// `|L - L_previous| < tol` (converged) or after `maxIter` iterations. Covariance types constrain `Σ_j`:
/// `full` (one full matrix per component), `tied` (one full matrix shared:
/// `(Σ_i x_i x_iᵀ - Σ_j n_j μ_j μ_jᵀ) / Σ n + regCovar·I`), `diag` (per-component diagonal), `spherical`
/// (per-component `σ_j² I`, the mean of the diagonal). Densities use the Cholesky factor `F_j` of each
/// precision (`Σ_j⁻¹ = F_j F_jᵀ`): `log N = -½(d log 2π + ‖(x - μ_j)ᵀ F_j‖²) + Σ log diag F_j`.
/// Initialisation (seeded): k-means labels as hard responsibilities, one k-means++ or random row per
/// component, random responsibilities, or given weights, means and precisions. Of `nInit` runs the one with the highest final lower bound is kept.
///
/// ```swift
/// let gmm = try GaussianMixture(nComponents: 3, covarianceType: .full, seed: 0).fit(x)
/// gmm.means; gmm.weights; gmm.converged
/// let p = try gmm.predictProba(x)       // [n, 3]
/// let bic = try gmm.bic(x)
/// ```
public struct GaussianMixture: Sendable {
    public enum CovarianceType: String, Sendable, CaseIterable {
        case full, tied, diag, spherical
    }

    public enum Initialization: Sendable {
        /// Hard responsibilities from one seeded k-means run (scikit-learn's `"kmeans"`).
        case kmeans
        /// Each component starts from one row picked by k-means++ (responsibility 1 for that row only,
        /// scikit-learn's `"k-means++"`).
        case kMeansPlusPlus
        /// Uniform random responsibilities, normalised per row (`"random"`).
        case random
        /// Each component starts from one distinct random row (`"random_from_data"`).
        case randomFromData
        /// Given weights `[k]`, means `[k, d]` and precisions (inverse covariances) shaped by the covariance
        /// type: full `[k, d, d]`, tied `[d, d]`, diag `[k, d]`, spherical `[k]`.
        case parameters(weights: Tensor, means: Tensor, precisions: Tensor)
    }

    public var nComponents: Int
    public var covarianceType: CovarianceType
    public var tol: Double
    public var regCovar: Double
    public var maxIter: Int
    public var nInit: Int
    public var initialization: Initialization
    public var seed: UInt64

    public init(nComponents: Int = 1, covarianceType: CovarianceType = .full, tol: Double = 1e-3,
                regCovar: Double = 1e-6, maxIter: Int = 100, nInit: Int = 1,
                initialization: Initialization = .kmeans, seed: UInt64 = 0) {
        self.nComponents = nComponents
        self.covarianceType = covarianceType
        self.tol = tol
        self.regCovar = regCovar
        self.maxIter = maxIter
        self.nInit = nInit
        self.initialization = initialization
        self.seed = seed
    }

    func validate(_ x: DataMatrix) throws {
        let name = "gaussian_mixture"
        guard nComponents >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: "nComponents", value: "\(nComponents)", expected: ">= 1")
        }
        guard nComponents <= x.rows else {
            throw UnsupervisedError.tooManyComponents(algorithm: name, requested: nComponents, limit: x.rows,
                                                      reason: "nComponents must not exceed the number of samples")
        }
        for (label, value) in [("tol", tol), ("regCovar", regCovar)] where !(value >= 0 && value.isFinite) {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: label, value: "\(value)", expected: "finite, >= 0")
        }
        guard maxIter >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: "maxIter", value: "\(maxIter)", expected: ">= 1")
        }
        guard nInit >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: "nInit", value: "\(nInit)", expected: ">= 1")
        }
    }

    /// Fits the mixture to `x` [samples, features].
    public func fit(_ x: Tensor) throws -> GaussianMixtureModel {
        let data = try DataMatrix(x, algorithm: "gaussian_mixture")
        try validate(data)
        var best: (parameters: MixtureParameters, lowerBound: Double, nIter: Int, converged: Bool)? = nil
        let keys = RandomKey(seed: seed).split(max(nInit, 2))
        for run in 0..<nInit {
            var parameters = try initialParameters(data, key: keys[run])
            var lowerBound = -Double.infinity
            var converged = false
            var iterations = 0
            for iteration in 1...maxIter {
                let previous = lowerBound
                let (logNorm, logResp) = parameters.eStep(data)
                parameters = try MixtureParameters.mStep(data, logResp: logResp, k: nComponents, type: covarianceType,
                                                         regCovar: regCovar)
                lowerBound = logNorm
                iterations = iteration
                if abs(lowerBound - previous) < tol { converged = true; break }
            }
            if best == nil || lowerBound > best!.lowerBound {
                best = (parameters, lowerBound, iterations, converged)
            }
        }
        let b = best!
        return GaussianMixtureModel(parameters: b.parameters, lowerBound: b.lowerBound, nIter: b.nIter,
                                    converged: b.converged, dtype: data.dtype)
    }

    func initialParameters(_ data: DataMatrix, key: RandomKey) throws -> MixtureParameters {
        let (n, d, k) = (data.rows, data.cols, nComponents)
        switch initialization {
        case .kmeans:
            let km = try KMeans(nClusters: k, nInit: 1, seed: UInt64(key.k0) << 32 | UInt64(key.k1)).fit(
                Tensor(data.values, shape: [n, d]))
            let labels = km.labels.toArray(as: Int64.self)
            var resp = [Double](repeating: 0, count: n * k)
            for i in 0..<n { resp[i * k + Int(labels[i])] = 1 }
            return try MixtureParameters.mStep(data, logResp: resp.map { $0 > 0 ? 0 : -Double.infinity }, k: k,
                                               type: covarianceType, regCovar: regCovar)
        case .kMeansPlusPlus, .randomFromData:
            var generator = KeyedGenerator(key)
            let rows: [Int]
            if case .kMeansPlusPlus = initialization {
                rows = KMeansSeeding.plusPlusIndices(data, k: k, generator: &generator)
            } else {
                var order = Array(0..<n)
                order.shuffle(using: &generator)
                rows = Array(order.prefix(k))
            }
            var logResp = [Double](repeating: -Double.infinity, count: n * k)
            for (c, row) in rows.enumerated() { logResp[row * k + c] = 0 }
            return try MixtureParameters.mStep(data, logResp: logResp, k: k, type: covarianceType, regCovar: regCovar)
        case .random:
            var generator = KeyedGenerator(key)
            var logResp = [Double](repeating: 0, count: n * k)
            for i in 0..<n {
                let draws = (0..<k).map { _ in Double.random(in: 0..<1, using: &generator) }
                let total = draws.reduce(0, +)
                for c in 0..<k { logResp[i * k + c] = log(draws[c] / total) }
            }
            return try MixtureParameters.mStep(data, logResp: logResp, k: k, type: covarianceType, regCovar: regCovar)
        case .parameters(let weights, let means, let precisions):
            return try MixtureParameters(given: weights, means: means, precisions: precisions, k: k, d: d,
                                         type: covarianceType)
        }
    }
}
