import TrainKitCore

/// Mini-batch k-means (Sculley 2010; scikit-learn's `MiniBatchKMeans` without random reassignment).
///
/// Centres start from k-means++ (or random rows) on a seeded subset of `3 × batchSize` rows. Each step
/// draws `batchSize` rows with replacement, assigns them to the nearest centre and moves each centre to the
/// running mean of every point it has received: `c_j ← (c_j·N_j + Σ_{batch→j} x) / (N_j + n_j)`,
/// `N_j += n_j`. It runs `maxIter` passes' worth of steps (`maxIter · n / batchSize`) and stops early when
/// the smoothed batch inertia has not improved for `maxNoImprovement` steps, or — with `tol > 0` — when the
/// squared centre shift of a step is at most `tol × mean feature variance`. The final labels and inertia
/// are computed on all of the data.
///
/// ```swift
/// let model = try MiniBatchKMeans(nClusters: 10, batchSize: 1024, seed: 0).fit(x)
/// model.inertia; try model.predict(x)
/// ```
public struct MiniBatchKMeans: Sendable {
    public var nClusters: Int
    public var batchSize: Int
    public var maxIter: Int
    public var tol: Double
    public var maxNoImprovement: Int?
    public var initialization: KMeans.Initialization
    public var seed: UInt64

    public init(nClusters: Int = 8, batchSize: Int = 1024, maxIter: Int = 100, tol: Double = 0,
                maxNoImprovement: Int? = 10, initialization: KMeans.Initialization = .kMeansPlusPlus, seed: UInt64 = 0) {
        self.nClusters = nClusters
        self.batchSize = batchSize
        self.maxIter = maxIter
        self.tol = tol
        self.maxNoImprovement = maxNoImprovement
        self.initialization = initialization
        self.seed = seed
    }

    public func fit(_ x: Tensor) throws -> KMeansModel {
        let data = try DataMatrix(x, algorithm: "minibatch_kmeans")
        try KMeans(nClusters: nClusters, maxIter: maxIter, tol: tol).validate(data)
        guard batchSize >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: "minibatch_kmeans", name: "batchSize", value: "\(batchSize)", expected: ">= 1")
        }
        let (n, d, k) = (data.rows, data.cols, nClusters)
        var generator = KeyedGenerator(seed: seed)
        // Seed the centres on a subset.
        let initSize = min(n, max(3 * batchSize, k))
        var order = Array(0..<n)
        order.shuffle(using: &generator)
        let subset = DataMatrix(rows: initSize, cols: d, values: order.prefix(initSize).flatMap { data.row($0) })
        var centers: [Double]
        switch initialization {
        case .kMeansPlusPlus: centers = KMeansSeeding.plusPlus(subset, k: k, generator: &generator)
        case .random: centers = KMeansSeeding.random(subset, k: k, generator: &generator)
        case .centers(let given):
            guard given.shape == [k, d] else {
                throw UnsupervisedError.badInitialization(algorithm: "minibatch_kmeans", reason: "centres of shape \(given.shape), expected [\(k), \(d)]")
            }
            centers = given.toArray(as: Double.self)
        }
        let tolerance = tol * (data.columnVariances.reduce(0, +) / Double(d))
        var counts = [Double](repeating: 0, count: k)
        let steps = max(1, maxIter * n / batchSize)
        let alpha = min(1, 2 * Double(batchSize) / Double(n + 1))
        var smoothed: Double? = nil, best = Double.infinity, stale = 0
        var iterations = 0
        for _ in 0..<steps {
            let rows = (0..<batchSize).map { _ in Int.random(in: 0..<n, using: &generator) }
            let batch = DataMatrix(rows: batchSize, cols: d, values: rows.flatMap { data.row($0) })
            let labels = KMeansLloyd.assign(batch, centers: centers, k: k)
            let batchInertia = KMeansLloyd.inertia(batch, centers: centers, labels: labels) / Double(batchSize)
            var sums = [Double](repeating: 0, count: k * d), added = [Double](repeating: 0, count: k)
            for (i, c) in labels.enumerated() {
                added[c] += 1
                for j in 0..<d { sums[c * d + j] += batch.values[i * d + j] }
            }
            var shift = 0.0
            for c in 0..<k where added[c] > 0 {
                for j in 0..<d {
                    let updated = (centers[c * d + j] * counts[c] + sums[c * d + j]) / (counts[c] + added[c])
                    shift += (updated - centers[c * d + j]) * (updated - centers[c * d + j])
                    centers[c * d + j] = updated
                }
                counts[c] += added[c]
            }
            iterations += 1
            if tol > 0 && shift <= tolerance { break }
            smoothed = smoothed.map { $0 * (1 - alpha) + batchInertia * alpha } ?? batchInertia
            if let limit = maxNoImprovement {
                if smoothed! < best { best = smoothed!; stale = 0 } else { stale += 1 }
                if stale >= limit { break }
            }
        }
        let labels = KMeansLloyd.assign(data, centers: centers, k: k)
        let run = KMeansRun(centers: centers, labels: labels,
                            inertia: KMeansLloyd.inertia(data, centers: centers, labels: labels), nIter: iterations)
        return KMeansModel(run: run, features: d, dtype: data.dtype)
    }
}
