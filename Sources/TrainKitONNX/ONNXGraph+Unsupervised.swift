import Foundation
import TrainKit

extension ONNXGraph {
    /// k-means outputs from float `[N, F]` features: `distances` (`[N, K]`, the Euclidean distance to each
    /// centre) and `cluster` (`[N]` int64, the nearest centre).
    public mutating func addKMeansOutputs(_ model: KMeansModel, features: String) throws {
        let centers = model.centers
        let (k, f) = (centers.shape[0], centers.shape[1])
        let x = node("Unsqueeze", [features, constant(int64: [1], shape: [1], name: "kmeans.axis")], name: "kmeans.rows")
        let c = constant(centers.to(.float32).reshape([1, k, f]), name: "kmeans.centers")
        let diff = node("Sub", [x, c], name: "kmeans.diff")
        let squared = node("ReduceSum", [node("Mul", [diff, diff], name: "kmeans.squared"),
                                         constant(int64: [2], shape: [1], name: "kmeans.feature_axis")],
                           attributes: ["keepdims": .int(0)], name: "kmeans.squared_distances")
        let distances = node("Sqrt", [squared], name: "kmeans.distances")
        try addOutput(distances, name: "distances", type: .float, shape: [.batch, .fixed(k)])
        let cluster = node("ArgMin", [squared], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "kmeans.cluster")
        try addOutput(cluster, name: "cluster", type: .int64, shape: [.batch])
    }

    /// PCA output from float `[N, F]` features: `components` (`[N, C]`, `(x - mean) · componentsᵀ`, divided by
    /// √(explained variance) when whitened).
    public mutating func addPCAOutputs(_ model: PCAModel, features: String) throws {
        let c = model.nComponents
        let centred = node("Sub", [features, constant(model.mean.to(.float32), name: "pca.mean")], name: "pca.centred")
        var z = node("MatMul", [centred, constant(model.components.to(.float32).T.contiguous(), name: "pca.components_t")],
                     name: "pca.projected")
        if model.whiten {
            let scale = model.explainedVariance.map { Float(1 / $0.squareRoot()) }
            z = node("Mul", [z, constant(scale, shape: [c], name: "pca.whiten")], name: "pca.whitened")
        }
        try addOutput(z, name: "components", type: .float, shape: [.batch, .fixed(c)])
    }
}

extension ONNXGraph {
    /// Gaussian-mixture output from float `[N, F]` features: `probabilities` (`[N, K]`, each component's
    /// posterior probability) and `cluster` (`[N]` int64, the most probable component).
    ///
    /// Computed in float64, as the mixture is: with each covariance `Σ_k = C_k C_kᵀ` (Cholesky, on the host;
    /// `diag`, `spherical` and `tied` covariances become full matrices), `log p_k(x) = log w_k - ½(F log 2π +
    /// log det Σ_k + ‖C_k⁻¹(x - μ_k)‖²)`, then a softmax over the components.
    /// - Throws: ``ONNXExportError/unsupportedModel(_:)`` when a covariance is not positive definite.
    public mutating func addGaussianMixtureOutputs(_ model: GaussianMixtureModel, features: String) throws {
        let k = model.nComponents
        let means = model.means.toArray(as: Double.self)
        let f = means.count / max(k, 1)
        let covariances = Self.fullCovariances(model, k: k, f: f)
        var inverseFactorsT = [Double](), logTerms = [Double]()
        let weights = model.weights.toArray(as: Double.self)
        for c in 0..<k {
            guard let factor = Self.cholesky(Array(covariances[(c * f * f)..<((c + 1) * f * f)]), f) else {
                throw ONNXExportError.unsupportedModel("gmm component \(c) has a covariance that is not positive definite")
            }
            let inverse = Self.lowerInverse(factor, f)
            for i in 0..<f { for j in 0..<f { inverseFactorsT.append(inverse[j * f + i]) } }  // (C⁻¹)ᵀ
            let logDet = (0..<f).reduce(0.0) { $0 + 2 * Foundation.log(factor[$1 * f + $1]) }
            logTerms.append(Foundation.log(weights[c]) - 0.5 * (Double(f) * Foundation.log(2 * Double.pi) + logDet))
        }
        let x = node("Cast", [features], attributes: ["to": .int(Int(Onnx_TensorProto.DataType.double.rawValue))], name: "gmm.x")
        let rows = node("Unsqueeze", [x, constant(int64: [0], shape: [1], name: "gmm.axis")], name: "gmm.rows")  // [1, N, F]
        let centred = node("Sub", [rows, constant(double: means, shape: [k, 1, f], name: "gmm.means")], name: "gmm.centred")
        let whitened = node("MatMul", [centred, constant(double: inverseFactorsT, shape: [k, f, f], name: "gmm.inverse_factors_t")],
                            name: "gmm.whitened")  // [K, N, F]
        let distance = node("ReduceSum", [node("Mul", [whitened, whitened], name: "gmm.squared"),
                                          constant(int64: [2], shape: [1], name: "gmm.feature_axis")],
                            attributes: ["keepdims": .int(0)], name: "gmm.mahalanobis")  // [K, N]
        let half = node("Mul", [node("Transpose", [distance], attributes: ["perm": .ints([1, 0])], name: "gmm.by_row"),
                                constant(double: [-0.5], shape: [], name: "gmm.minus_half")], name: "gmm.half_distance")
        let logits = node("Add", [half, constant(double: logTerms, shape: [k], name: "gmm.log_terms")], name: "gmm.weighted_log_p")
        let probabilities = node("Cast", [node("Softmax", [logits], attributes: ["axis": .int(1)], name: "gmm.posterior")],
                                 attributes: ["to": .int(Int(Onnx_TensorProto.DataType.float.rawValue))], name: "gmm.probabilities")
        try addOutput(probabilities, name: "probabilities", type: .float, shape: [.batch, .fixed(k)])
        let cluster = node("ArgMax", [logits], attributes: ["axis": .int(1), "keepdims": .int(0)], name: "gmm.cluster")
        try addOutput(cluster, name: "cluster", type: .int64, shape: [.batch])
    }

    /// Every component's covariance as a full `F × F` matrix, `[K · F · F]` row-major.
    private static func fullCovariances(_ model: GaussianMixtureModel, k: Int, f: Int) -> [Double] {
        let values = model.covariances.toArray(as: Double.self)
        var out = [Double](repeating: 0, count: k * f * f)
        for c in 0..<k {
            for i in 0..<f {
                for j in 0..<f {
                    let v: Double = switch model.covarianceType {
                    case .full: values[(c * f + i) * f + j]
                    case .tied: values[i * f + j]
                    case .diag: i == j ? values[c * f + i] : 0
                    case .spherical: i == j ? values[c] : 0
                    }
                    out[(c * f + i) * f + j] = v
                }
            }
        }
        return out
    }

    /// The lower Cholesky factor of a symmetric `n × n` matrix, or nil when it is not positive definite.
    private static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for p in 0..<j { s -= l[i * n + p] * l[j * n + p] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        return l
    }

    /// The inverse of a lower-triangular `n × n` matrix (forward substitution), lower-triangular.
    private static func lowerInverse(_ l: [Double], _ n: Int) -> [Double] {
        var inv = [Double](repeating: 0, count: n * n)
        for col in 0..<n {
            for i in col..<n {
                var s = i == col ? 1.0 : 0.0
                for p in col..<i { s -= l[i * n + p] * inv[p * n + col] }
                inv[i * n + col] = s / l[i * n + i]
            }
        }
        return inv
    }
}
