import TrainKitCore

/// Fitted models as named tensors (for checkpoints, e.g. with `SafeTensors`) and back. Names follow
/// scikit-learn's attributes without the trailing underscore; scalars are 0-d float64 / int64 tensors.
func stateTensor(_ state: [String: Tensor], _ key: String, algorithm: String) throws -> Tensor {
    guard let t = state[key] else { throw UnsupervisedError.badInitialization(algorithm: algorithm, reason: "state has no \(key)") }
    guard t.toArray(as: Double.self).allSatisfy(\.isFinite) else {
        throw UnsupervisedError.badInitialization(algorithm: algorithm, reason: "\(key) holds NaN or infinity")
    }
    return t
}

extension KMeansModel {
    /// `cluster_centers` [k, d], `inertia` and `n_iter` (0-d); the training labels are not kept.
    public var stateTensors: [String: Tensor] {
        ["cluster_centers": centers, "inertia": Tensor(scalar: inertia, dtype: .float64),
         "n_iter": Tensor([Int64(nIter)], shape: [])]
    }

    /// A model from saved ``stateTensors`` (or any centres `[k, d]`): `predict`, `transform` and `score`
    /// work; `labels` is empty.
    public init(stateTensors state: [String: Tensor]) throws {
        let centers = try stateTensor(state, "cluster_centers", algorithm: "kmeans")
        guard centers.rank == 2, centers.shape[0] >= 1, centers.shape[1] >= 1, centers.dtype.isFloatingPoint else {
            throw UnsupervisedError.badInitialization(algorithm: "kmeans", reason: "cluster_centers of shape \(centers.shape)")
        }
        let run = KMeansRun(centers: centers.toArray(as: Double.self), labels: [],
                            inertia: state["inertia"]?.item() ?? 0, nIter: Int(state["n_iter"]?.item() ?? 0))
        self.init(run: run, features: centers.shape[1], dtype: centers.dtype)
    }
}

extension PCAModel {
    /// `mean` [d], `components` [k, d], `explained_variance`, `explained_variance_ratio`, `singular_values`
    /// [k], `whiten` (0-d int64, 0 or 1).
    public var stateTensors: [String: Tensor] {
        ["mean": mean, "components": components,
         "explained_variance": Tensor(explainedVariance), "explained_variance_ratio": Tensor(explainedVarianceRatio),
         "singular_values": Tensor(singularValues), "whiten": Tensor([Int64(whiten ? 1 : 0)], shape: [])]
    }

    /// A model from saved ``stateTensors``.
    public init(stateTensors state: [String: Tensor]) throws {
        let name = "pca"
        let mean = try stateTensor(state, "mean", algorithm: name)
        let components = try stateTensor(state, "components", algorithm: name)
        let variance = try stateTensor(state, "explained_variance", algorithm: name).toArray(as: Double.self)
        let ratio = try stateTensor(state, "explained_variance_ratio", algorithm: name).toArray(as: Double.self)
        let singular = try stateTensor(state, "singular_values", algorithm: name).toArray(as: Double.self)
        let whiten = (state["whiten"]?.item() ?? 0) != 0
        guard mean.rank == 1, components.rank == 2, components.shape[1] == mean.shape[0],
              [variance.count, ratio.count, singular.count].allSatisfy({ $0 == components.shape[0] }),
              !whiten || variance.allSatisfy({ $0 > 0 })
        else {
            throw UnsupervisedError.badInitialization(
                algorithm: name, reason: "inconsistent shapes: mean \(mean.shape), components \(components.shape), \(variance.count) variances")
        }
        self.init(mean: mean.toArray(as: Double.self), components: components.toArray(as: Double.self),
                  explainedVariance: variance, explainedVarianceRatio: ratio, singularValues: singular,
                  features: mean.shape[0], whiten: whiten, dtype: components.dtype, solver: .full)
    }
}

extension GaussianMixtureModel {
    /// `weights` [k], `means` [k, d], `covariances` (shaped by the type), `covariance_type` (0-d int64: the
    /// index in ``GaussianMixture/CovarianceType/allCases``: full 0, tied 1, diag 2, spherical 3),
    /// `lower_bound`, `n_iter`, `converged`.
    public var stateTensors: [String: Tensor] {
        ["weights": weights, "means": means, "covariances": covariances,
         "covariance_type": Tensor([Int64(GaussianMixture.CovarianceType.allCases.firstIndex(of: covarianceType)!)], shape: []),
         "lower_bound": Tensor(scalar: lowerBound, dtype: .float64), "n_iter": Tensor([Int64(nIter)], shape: []),
         "converged": Tensor([Int64(converged ? 1 : 0)], shape: [])]
    }

    /// A model from saved ``stateTensors`` (covariances are factorised again; one that is not positive
    /// definite throws).
    public init(stateTensors state: [String: Tensor]) throws {
        let name = "gaussian_mixture"
        let weights = try stateTensor(state, "weights", algorithm: name)
        let means = try stateTensor(state, "means", algorithm: name)
        let covariances = try stateTensor(state, "covariances", algorithm: name)
        let index = Int(try stateTensor(state, "covariance_type", algorithm: name).item())
        let types = GaussianMixture.CovarianceType.allCases
        guard types.indices.contains(index), means.rank == 2, weights.shape == [means.shape[0]] else {
            throw UnsupervisedError.badInitialization(algorithm: name, reason: "weights \(weights.shape), means \(means.shape), covariance_type \(index)")
        }
        let (k, d) = (means.shape[0], means.shape[1])
        let type = types[index]
        let expected: [Int] = switch type {
        case .full: [k, d, d]
        case .tied: [d, d]
        case .diag: [k, d]
        case .spherical: [k]
        }
        guard covariances.shape == expected else {
            throw UnsupervisedError.badInitialization(algorithm: name, reason: "covariances \(covariances.shape), expected \(expected) for \(type)")
        }
        let parameters = try MixtureParameters(k: k, d: d, type: type, weights: weights.toArray(as: Double.self),
                                               means: means.toArray(as: Double.self),
                                               covariances: covariances.toArray(as: Double.self))
        self.init(parameters: parameters, lowerBound: state["lower_bound"]?.item() ?? -.infinity,
                  nIter: Int(state["n_iter"]?.item() ?? 0), converged: (state["converged"]?.item() ?? 0) != 0,
                  dtype: means.dtype)
    }
}
