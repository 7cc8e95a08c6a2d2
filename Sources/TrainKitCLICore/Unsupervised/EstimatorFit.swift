import TrainKit

/// Fits the estimator a config's `model:` names (`kmeans`, `pca`, `gmm`) with its scikit-learn
/// hyperparameters, seeded by the config's `seed`.
enum EstimatorFit {
    /// - Throws: `DataError` naming `file` (and the config key, for more clusters or components than the
    ///   training rows allow) when the estimator refuses the data.
    static func fit(_ m: ModelConfig, seed: UInt64, x: Tensor, file: String) throws -> FittedEstimator {
        do {
            return try fit(m, seed: seed, x: x)
        } catch let error as UnsupervisedError {
            var reason = "the training part cannot be fitted: \(error)"
            if case .tooManyComponents(_, let requested, let limit, _) = error {
                let key = m.kind == .kmeans ? "n_clusters" : "n_components"
                reason = "model.\(key) is \(requested), but the training part allows at most \(limit) (\(x.shape[0]) rows, \(x.shape[1]) features); lower model.\(key) or use more data"
            }
            throw DataError.invalidFormat(file: file, reason: reason)
        }
    }

    private static func fit(_ m: ModelConfig, seed: UInt64, x: Tensor) throws -> FittedEstimator {
        let u = m.unsupervised
        switch m.kind {
        case .kmeans:
            let estimator = KMeans(nClusters: u.nClusters, initialization: u.initialization == "random" ? .random : .kMeansPlusPlus,
                                   nInit: u.nInit, maxIter: u.maxIter ?? 300, tol: u.tol ?? 1e-4,
                                   algorithm: KMeans.Algorithm(rawValue: u.algorithm) ?? .lloyd, seed: seed)
            return FittedEstimator(.kmeans(try estimator.fit(x)))
        case .pca:
            let estimator = PCA(nComponents: u.nComponents, whiten: u.whiten,
                                svdSolver: PCA.Solver(rawValue: u.svdSolver) ?? .auto, seed: seed)
            return FittedEstimator(.pca(try estimator.fit(x)))
        default:
            let start: GaussianMixture.Initialization = switch u.initialization {
            case "k-means++": .kMeansPlusPlus
            case "random": .random
            case "random_from_data": .randomFromData
            default: .kmeans
            }
            let estimator = GaussianMixture(nComponents: u.nComponents ?? 1,
                                            covarianceType: GaussianMixture.CovarianceType(rawValue: u.covarianceType) ?? .full,
                                            tol: u.tol ?? 1e-3, regCovar: u.regCovar, maxIter: u.maxIter ?? 100,
                                            nInit: u.nInit ?? 1, initialization: start, seed: seed)
            return FittedEstimator(.gmm(try estimator.fit(x)))
        }
    }

    /// One line for the log: what was fitted.
    static func describe(_ fitted: FittedEstimator) -> String {
        switch fitted.model {
        case .kmeans(let m): "kmeans: \(m.nClusters) clusters, inertia \(m.inertia) after \(m.nIter) iterations"
        case .pca(let m): "pca: \(m.nComponents) components\(m.whiten ? ", whitened" : ""), explained variance ratio \(m.explainedVarianceRatio.reduce(0, +))"
        case .gmm(let m): "gmm: \(m.nComponents) \(m.covarianceType.rawValue) components, \(m.converged ? "converged" : "not converged") after \(m.nIter) iterations"
        }
    }
}
