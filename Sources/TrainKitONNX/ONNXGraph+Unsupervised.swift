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
