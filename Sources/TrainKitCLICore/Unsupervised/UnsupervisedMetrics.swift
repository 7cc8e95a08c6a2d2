import TrainKit

/// The scores of a fitted unsupervised model on one part of the data (no prefix; the run adds `train_`,
/// `val_`, `test_`):
///
/// | metric | kinds | meaning |
/// |---|---|---|
/// | `inertia` | kmeans | sum of squared distances to the nearest centre |
/// | `silhouette` | kmeans, gmm | mean silhouette of the clusters (on at most ``silhouetteSample`` rows, seeded) |
/// | `adjusted_rand`, `normalized_mutual_info` | kmeans, gmm, with `data.target` | agreement of the clusters with the target |
/// | `log_likelihood` | gmm | mean log-likelihood per row |
/// | `bic` | gmm | Bayesian information criterion on these rows (lower is better) |
/// | `explained_variance_ratio` | pca | the share of these rows' variance the components keep (on the training rows: the sum of scikit-learn's `explained_variance_ratio_`) |
enum UnsupervisedMetrics {
    /// Silhouette is quadratic in the rows: above this many it is computed on a seeded sample of this size
    /// (scikit-learn's `sample_size`).
    static let silhouetteSample = 5000

    /// The metrics of `kind`, the default `tune` metric first (kmeans: silhouette, gmm: bic, pca:
    /// explained_variance_ratio); `adjusted_rand` and `normalized_mutual_info` need `data.target`.
    static func names(_ kind: ModelKind) -> [String] {
        switch kind {
        case .kmeans: ["silhouette", "inertia", "adjusted_rand", "normalized_mutual_info"]
        case .gmm: ["bic", "log_likelihood", "silhouette", "adjusted_rand", "normalized_mutual_info"]
        default: ["explained_variance_ratio"]
        }
    }

    /// - Parameters:
    ///   - labels: the class index of each row (`data.target`), or nil.
    static func score(_ fitted: FittedEstimator, x: Tensor, labels: Tensor?, seed: UInt64) throws -> [String: Double] {
        var metrics: [String: Double] = [:]
        switch fitted.model {
        case .kmeans(let m): metrics["inertia"] = -(try m.score(x))
        case .gmm(let m):
            metrics["log_likelihood"] = try m.score(x)
            metrics["bic"] = try m.bic(x)
        case .pca(let m): metrics["explained_variance_ratio"] = try explainedVarianceRatio(m, x: x)
        }
        if let clusters = try fitted.clusters(x) {
            let n = x.shape[0]
            let distinct = Set(clusters.toArray(as: Int64.self)).count
            if distinct >= 2 && distinct < n {  // silhouette is defined for 2 ≤ clusters ≤ n - 1
                metrics["silhouette"] = try ClusteringMetrics.silhouetteScore(
                    x, labels: clusters, sampleSize: n > silhouetteSample ? silhouetteSample : nil, seed: seed)
            }
            if let labels, labels.dtype == .int64 {
                metrics["adjusted_rand"] = try ClusteringMetrics.adjustedRandIndex(labels, clusters)
                metrics["normalized_mutual_info"] = try ClusteringMetrics.normalizedMutualInformation(labels, clusters)
            }
        }
        return metrics
    }

    /// `1 - ‖X - inverse(transform(X))‖² / ‖X - mean(X)‖²`: on the training rows the sum of the explained
    /// variance ratios; on other rows how much of their variance the training components keep.
    static func explainedVarianceRatio(_ m: PCAModel, x: Tensor) throws -> Double {
        explainedVarianceRatio(reconstruction: try m.inverseTransform(try m.transform(x)), of: x)
    }

    /// `1 - ‖X - X̂‖² / ‖X - mean(X)‖²` for inputs `x` `[n, d]` and their reconstruction `[n, d]` (a PCA's
    /// inverse transform, an autoencoder's output); 0 when `x` does not vary.
    static func explainedVarianceRatio(reconstruction: Tensor, of x: Tensor) -> Double {
        let back = reconstruction.toArray(as: Double.self)
        let values = x.toArray(as: Double.self)
        guard x.rank >= 2, back.count == values.count, x.shape[0] > 0 else { return 0 }
        let n = x.shape[0], d = values.count / x.shape[0]
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += values[i * d + j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        var residual = 0.0, total = 0.0
        for i in 0..<n {
            for j in 0..<d {
                let v = values[i * d + j]
                residual += (v - back[i * d + j]) * (v - back[i * d + j])
                total += (v - mean[j]) * (v - mean[j])
            }
        }
        return total > 0 ? 1 - residual / total : 0
    }
}
