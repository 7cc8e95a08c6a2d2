import Foundation
import TrainKitCore

/// A fitted Gaussian mixture.
public struct GaussianMixtureModel: Sendable {
    let parameters: MixtureParameters
    let dtype: DType
    /// Mean log-likelihood per sample of the training data at the last E-step.
    public let lowerBound: Double
    /// EM iterations of the kept run.
    public let nIter: Int
    /// Whether the kept run stopped on `tol` (rather than `maxIter`).
    public let converged: Bool

    init(parameters: MixtureParameters, lowerBound: Double, nIter: Int, converged: Bool, dtype: DType) {
        self.parameters = parameters
        self.lowerBound = lowerBound
        self.nIter = nIter
        self.converged = converged
        self.dtype = dtype
    }

    public var nComponents: Int { parameters.k }
    public var covarianceType: GaussianMixture.CovarianceType { parameters.type }
    /// Mixing weights `[k]` (sum to 1).
    public var weights: Tensor { Tensor.fromHost(parameters.weights, shape: [parameters.k], dtype: dtype, device: .default) }
    /// Means `[k, d]`.
    public var means: Tensor { Tensor.fromHost(parameters.means, shape: [parameters.k, parameters.d], dtype: dtype, device: .default) }
    /// Covariances: full `[k, d, d]`, tied `[d, d]`, diag `[k, d]`, spherical `[k]`.
    public var covariances: Tensor {
        Tensor.fromHost(parameters.covariances, shape: parameters.covarianceShape, dtype: dtype, device: .default)
    }
    /// Number of free parameters (for BIC and AIC).
    public var parameterCount: Int { parameters.parameterCount }

    func data(_ x: Tensor) throws -> DataMatrix {
        let data = try DataMatrix(x, algorithm: "gaussian_mixture")
        guard data.cols == parameters.d else {
            throw UnsupervisedError.featureMismatch(algorithm: "gaussian_mixture", expected: parameters.d, got: data.cols)
        }
        return data
    }

    /// `log p(x_i)` for every row, float64 `[n]`.
    public func scoreSamples(_ x: Tensor) throws -> Tensor {
        let d = try data(x)
        return Tensor(parameters.logNormAndResponsibilities(d).logNorm, shape: [d.rows])
    }

    /// Mean log-likelihood per sample.
    public func score(_ x: Tensor) throws -> Double {
        let d = try data(x)
        return parameters.eStep(d).0
    }

    /// The most probable component of every row (int64 `[n]`).
    public func predict(_ x: Tensor) throws -> Tensor {
        let d = try data(x)
        let weighted = parameters.weightedLogProbabilities(d)
        let k = parameters.k
        let labels: [Int64] = (0..<d.rows).map { i in
            var best = 0
            for c in 1..<max(k, 1) where weighted[i * k + c] > weighted[i * k + best] { best = c }
            return Int64(best)
        }
        return Tensor(labels, shape: [d.rows])
    }

    /// Posterior probabilities of the components `[n, k]` (rows sum to 1), in `x`'s dtype.
    public func predictProba(_ x: Tensor) throws -> Tensor {
        let d = try data(x)
        let resp = parameters.logNormAndResponsibilities(d).logResp.map { exp($0) }
        return Tensor.fromHost(resp, shape: [d.rows, parameters.k], dtype: d.dtype, device: x.device)
    }

    /// Bayesian information criterion `-2 n score + p ln n` (lower is better).
    public func bic(_ x: Tensor) throws -> Double {
        let n = Double(try data(x).rows)
        return -2 * (try score(x)) * n + Double(parameterCount) * log(n)
    }

    /// Akaike information criterion `-2 n score + 2 p`.
    public func aic(_ x: Tensor) throws -> Double {
        let n = Double(try data(x).rows)
        return -2 * (try score(x)) * n + 2 * Double(parameterCount)
    }
}
