import Foundation
import TrainKitCore

/// The parameters of a Gaussian mixture in host float64, with the Cholesky factors of the precisions that
/// the densities use. Covariance and precision-factor layouts follow the type: full `[k, d, d]`,
/// tied `[d, d]`, diag `[k, d]`, spherical `[k]`.
struct MixtureParameters: Sendable {
    let k: Int
    let d: Int
    let type: GaussianMixture.CovarianceType
    var weights: [Double]
    var means: [Double]
    var covariances: [Double]
    /// `F` with `Σ⁻¹ = F Fᵀ` (full/tied: a `d × d` triangular factor per matrix; diag/spherical: `1/σ`).
    var precisionFactors: [Double]

    /// The covariance tensor's shape for this type.
    var covarianceShape: [Int] {
        switch type {
        case .full: [k, d, d]
        case .tied: [d, d]
        case .diag: [k, d]
        case .spherical: [k]
        }
    }

    /// From given weights, means and precisions (inverse covariances).
    init(given weights: Tensor, means: Tensor, precisions: Tensor, k: Int, d: Int,
         type: GaussianMixture.CovarianceType) throws {
        self.k = k
        self.d = d
        self.type = type
        let name = "gaussian_mixture"
        guard weights.shape == [k], means.shape == [k, d] else {
            throw UnsupervisedError.badInitialization(
                algorithm: name, reason: "weights \(weights.shape) and means \(means.shape), expected [\(k)] and [\(k), \(d)]")
        }
        self.weights = weights.toArray(as: Double.self)
        self.means = means.toArray(as: Double.self)
        let shape: [Int] = switch type {
        case .full: [k, d, d]
        case .tied: [d, d]
        case .diag: [k, d]
        case .spherical: [k]
        }
        guard precisions.shape == shape else {
            throw UnsupervisedError.badInitialization(algorithm: name, reason: "precisions \(precisions.shape), expected \(shape)")
        }
        let p = precisions.toArray(as: Double.self)
        guard (self.weights + self.means + p).allSatisfy(\.isFinite), self.weights.allSatisfy({ $0 > 0 }),
              abs(self.weights.reduce(0, +) - 1) < 1e-6
        else {
            throw UnsupervisedError.badInitialization(algorithm: name, reason: "weights must be positive and sum to 1, all values finite")
        }
        switch type {
        case .full, .tied:
            let count = type == .full ? k : 1
            var factors: [Double] = []
            var covariances: [Double] = []
            for c in 0..<count {
                let m = HostMatrix(rows: d, cols: d, values: Array(p[(c * d * d)..<((c + 1) * d * d)]))
                do {
                    factors += try HostLinalg.cholesky(m).values
                    covariances += try HostLinalg.solve(m, HostMatrix.identity(d), op: "inv").values
                } catch {
                    throw UnsupervisedError.badInitialization(algorithm: name, reason: "precision \(c) is not positive definite")
                }
            }
            precisionFactors = factors
            self.covariances = covariances
        case .diag, .spherical:
            guard p.allSatisfy({ $0 > 0 }) else {
                throw UnsupervisedError.badInitialization(algorithm: name, reason: "precisions must be positive")
            }
            precisionFactors = p.map { $0.squareRoot() }
            covariances = p.map { 1 / $0 }
        }
    }

    init(k: Int, d: Int, type: GaussianMixture.CovarianceType, weights: [Double], means: [Double], covariances: [Double]) throws {
        self.k = k
        self.d = d
        self.type = type
        self.weights = weights
        self.means = means
        self.covariances = covariances
        switch type {
        case .full, .tied:
            let count = type == .full ? k : 1
            var factors: [Double] = []
            for c in 0..<count {
                let cov = HostMatrix(rows: d, cols: d, values: Array(covariances[(c * d * d)..<((c + 1) * d * d)]))
                // Σ = L Lᵀ  ⇒  Σ⁻¹ = L⁻ᵀ L⁻¹, so F = L⁻ᵀ (upper triangular).
                guard let l = try? HostLinalg.cholesky(cov) else {
                    throw UnsupervisedError.illDefinedCovariance(algorithm: "gaussian_mixture", component: c)
                }
                factors += BuiltinLinalg.solveTriangular(l, HostMatrix.identity(d), lower: true).transposed.values
            }
            precisionFactors = factors
        case .diag, .spherical:
            if let bad = covariances.firstIndex(where: { !($0 > 0) }) {
                throw UnsupervisedError.illDefinedCovariance(algorithm: "gaussian_mixture", component: type == .diag ? bad / d : bad)
            }
            precisionFactors = covariances.map { 1 / $0.squareRoot() }
        }
    }

    /// `log N(x_i | μ_j, Σ_j)` for every row and component, `[n, k]`.
    func logGaussian(_ x: DataMatrix) -> [Double] {
        let (n, d, k) = (x.rows, self.d, self.k)
        var out = [Double](repeating: 0, count: n * k)
        let constant = Double(d) * log(2 * Double.pi)
        switch type {
        case .full, .tied:
            // Every component at once on the device: Y = X F_all − μF_all with F_all = [F_1 … F_k] [d, k·d]
            // (tied: the one factor k times), then ‖y_c‖² per row and component.
            var stacked = [Double](repeating: 0, count: d * k * d)
            var muF = [Double](repeating: 0, count: k * d)
            var logDets = [Double](repeating: 0, count: k)
            for c in 0..<k {
                let base = type == .full ? c * d * d : 0
                for i in 0..<d {
                    for j in 0..<d {
                        let f = precisionFactors[base + i * d + j]
                        stacked[i * k * d + c * d + j] = f
                        muF[c * d + j] += means[c * d + i] * f
                    }
                    logDets[c] += log(precisionFactors[base + i * d + i])
                }
            }
            let data = x.tensor
            let shift = logDets.map { $0 - 0.5 * constant }
            return noGrad { () -> Tensor in
                let y = data.mm(Tensor(stacked, shape: [d, k * d])) - Tensor(muF, shape: [1, k * d])
                return y.square().reshape([n, k, d]).sum(2) * -0.5 + Tensor(shift, shape: [1, k])
            }.toArray(as: Double.self)
        case .diag, .spherical:
            for c in 0..<k {
                var logDet = 0.0
                var prec = [Double](repeating: 0, count: d)
                for j in 0..<d {
                    let f = type == .diag ? precisionFactors[c * d + j] : precisionFactors[c]
                    prec[j] = f * f
                    logDet += log(f)
                }
                for i in 0..<n {
                    var s = 0.0
                    for j in 0..<d { let diff = x.values[i * d + j] - means[c * d + j]; s += diff * diff * prec[j] }
                    out[i * k + c] = -0.5 * (constant + s) + logDet
                }
            }
        }
        return out
    }

    /// `log w_j + log N(x_i | μ_j, Σ_j)`, `[n, k]`.
    func weightedLogProbabilities(_ x: DataMatrix) -> [Double] {
        var out = logGaussian(x)
        let logWeights = weights.map { log($0) }
        for i in 0..<x.rows { for c in 0..<k { out[i * k + c] += logWeights[c] } }
        return out
    }

    /// `log p(x_i) = logsumexp_j (log w_j + log N)` per row, and the log responsibilities `[n, k]`.
    func logNormAndResponsibilities(_ x: DataMatrix) -> (logNorm: [Double], logResp: [Double]) {
        var weighted = weightedLogProbabilities(x)
        var norms = [Double](repeating: 0, count: x.rows)
        for i in 0..<x.rows {
            var m = -Double.infinity
            for c in 0..<k { m = max(m, weighted[i * k + c]) }
            var s = 0.0
            for c in 0..<k { s += exp(weighted[i * k + c] - m) }
            let norm = m + log(s)
            norms[i] = norm
            for c in 0..<k { weighted[i * k + c] -= norm }
        }
        return (norms, weighted)
    }

    /// The E-step: the mean log-likelihood (the lower bound) and the log responsibilities.
    func eStep(_ x: DataMatrix) -> (Double, [Double]) {
        let (norms, logResp) = logNormAndResponsibilities(x)
        return (norms.reduce(0, +) / Double(x.rows), logResp)
    }

    /// The M-step from log responsibilities `[n, k]` (scikit-learn's `_estimate_gaussian_parameters`).
    static func mStep(_ x: DataMatrix, logResp: [Double], k: Int, type: GaussianMixture.CovarianceType,
                      regCovar: Double) throws -> MixtureParameters {
        let (n, d) = (x.rows, x.cols)
        let resp = logResp.map { exp($0) }
        var nk = [Double](repeating: 10 * Double.ulpOfOne, count: k)
        for i in 0..<n { for c in 0..<k { nk[c] += resp[i * k + c] } }
        var means = HostProducts.multiply(x.tensor, transposeA: true, resp, (n, k)).transposedMatrix(rows: d, cols: k)  // [k, d]
        for c in 0..<k { for j in 0..<d { means[c * d + j] /= nk[c] } }
        var covariances: [Double]
        switch type {
        case .full:
            // Σ_c = Σ_i r_ic (x_i − μ_c)(x_i − μ_c)ᵀ / n_c + reg·I, one weighted product per component on the device.
            covariances = []
            let data = x.tensor
            let responsibilities = Tensor(resp, shape: [n, k])
            for c in 0..<k {
                var cov = noGrad { () -> Tensor in
                    let diff = data - Tensor(Array(means[(c * d)..<((c + 1) * d)]), shape: [1, d])
                    return (diff * responsibilities.narrow(1, start: c, length: 1)).T.mm(diff)
                }.toArray(as: Double.self)
                for j in 0..<(d * d) { cov[j] /= nk[c] }
                for j in 0..<d { cov[j * d + j] += regCovar }
                covariances += cov
            }
        case .tied:
            let x2 = HostProducts.multiply(x.tensor, transposeA: true, x.values, (n, d))
            let scaledMeans = (0..<(k * d)).map { means[$0] * nk[$0 / d] }
            let m2 = HostProducts.multiply(scaledMeans, (k, d), transposeA: true, means, (k, d))
            let total = nk.reduce(0, +)
            covariances = (0..<(d * d)).map { (x2[$0] - m2[$0]) / total }
            for j in 0..<d { covariances[j * d + j] += regCovar }
        case .diag, .spherical:
            let squares = x.values.map { $0 * $0 }
            let x2 = HostProducts.multiply(resp, (n, k), transposeA: true, squares, (n, d))
            var diag = [Double](repeating: 0, count: k * d)
            for c in 0..<k { for j in 0..<d { diag[c * d + j] = x2[c * d + j] / nk[c] - means[c * d + j] * means[c * d + j] + regCovar } }
            covariances = type == .diag ? diag : (0..<k).map { c in diag[(c * d)..<((c + 1) * d)].reduce(0, +) / Double(d) }
        }
        let total = nk.reduce(0, +)
        return try MixtureParameters(k: k, d: d, type: type, weights: nk.map { $0 / total }, means: means,
                                     covariances: covariances)
    }

    /// Free parameters: `k d` means, `k - 1` weights and the covariances (full `k d(d+1)/2`, tied
    /// `d(d+1)/2`, diag `k d`, spherical `k`).
    var parameterCount: Int {
        let covariance = switch type {
        case .full: k * d * (d + 1) / 2
        case .tied: d * (d + 1) / 2
        case .diag: k * d
        case .spherical: k
        }
        return covariance + k * d + k - 1
    }
}

extension Array where Element == Double {
    /// The transpose of this row-major `[rows, cols]` matrix.
    func transposedMatrix(rows: Int, cols: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = self[i * cols + j] } }
        return out
    }
}
