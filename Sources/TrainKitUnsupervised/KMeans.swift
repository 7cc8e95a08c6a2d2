import TrainKitCore

/// k-means clustering (scikit-learn's `KMeans`): minimises the inertia `Σ_i min_j ‖x_i - c_j‖²`.
///
/// Each run seeds `nClusters` centres (greedy k-means++ by default), then iterates Lloyd's algorithm —
/// assign every point to its nearest centre, move every centre to the mean of its points — or Elkan's
/// variant, which gives the same assignments while skipping distances the triangle inequality rules out.
/// A run stops at `maxIter`, when the labels repeat ("strict convergence"), or when the total squared
/// centre shift `Σ_j ‖c_j' - c_j‖²` is at most `tol × mean_f Var(x_f)` (scikit-learn's tolerance, relative to
/// the mean per-feature population variance); after a non-strict stop the labels are recomputed from the
/// final centres. Of `nInit` runs the one with the lowest inertia is kept. An empty cluster takes the point
/// farthest from its centre, as scikit-learn. Everything is computed in float64; the centres come back in the
/// data's dtype. Seeded by `seed`: the same seed gives the same model.
///
/// ```swift
/// let model = try KMeans(nClusters: 3, seed: 42).fit(x)      // x: [n, d]
/// model.labels; model.centers; model.inertia
/// let ids = try model.predict(newX)                           // int64 [m]
/// ```
public struct KMeans: Sendable {
    /// How the assignment step runs.
    public enum Algorithm: String, Sendable, CaseIterable {
        case lloyd, elkan
    }

    /// How the centres start.
    public enum Initialization: Sendable {
        /// Greedy k-means++ (`2 + ⌊ln k⌋` local trials per centre).
        case kMeansPlusPlus
        /// `nClusters` distinct rows drawn uniformly.
        case random
        /// These centres `[nClusters, features]` (then one run whatever `nInit`).
        case centers(Tensor)
    }

    public var nClusters: Int
    public var initialization: Initialization
    /// Runs with different seeds; nil is scikit-learn's `"auto"`: 1 for k-means++ (and given centres),
    /// 10 for random initialisation.
    public var nInit: Int?
    public var maxIter: Int
    public var tol: Double
    public var algorithm: Algorithm
    public var seed: UInt64

    public init(nClusters: Int = 8, initialization: Initialization = .kMeansPlusPlus, nInit: Int? = nil,
                maxIter: Int = 300, tol: Double = 1e-4, algorithm: Algorithm = .lloyd, seed: UInt64 = 0) {
        self.nClusters = nClusters
        self.initialization = initialization
        self.nInit = nInit
        self.maxIter = maxIter
        self.tol = tol
        self.algorithm = algorithm
        self.seed = seed
    }

    /// `nInit` with `"auto"` resolved.
    public var resolvedNInit: Int {
        if let nInit { return nInit }
        if case .random = initialization { return 10 }
        return 1
    }

    func validate(_ x: DataMatrix) throws {
        let name = "kmeans"
        guard nClusters >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: "nClusters", value: "\(nClusters)", expected: ">= 1")
        }
        guard nClusters <= x.rows else {
            throw UnsupervisedError.tooManyComponents(algorithm: name, requested: nClusters, limit: x.rows,
                                                      reason: "nClusters must not exceed the number of samples")
        }
        guard resolvedNInit >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: "nInit", value: "\(resolvedNInit)", expected: ">= 1")
        }
        guard maxIter >= 1 else {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: "maxIter", value: "\(maxIter)", expected: ">= 1")
        }
        guard tol >= 0, tol.isFinite else {
            throw UnsupervisedError.invalidParameter(algorithm: name, name: "tol", value: "\(tol)", expected: "finite, >= 0")
        }
    }

    /// Fits the centres to `x` [samples, features] (float32 or float64).
    public func fit(_ x: Tensor) throws -> KMeansModel {
        let data = try DataMatrix(x, algorithm: "kmeans")
        try validate(data)
        let tolerance = tol * (data.columnVariances.reduce(0, +) / Double(data.cols))
        var best: KMeansRun? = nil
        let keys = RandomKey(seed: seed).split(max(resolvedNInit, 2))
        let runs: Int
        if case .centers = initialization { runs = 1 } else { runs = resolvedNInit }
        for r in 0..<runs {
            var generator = KeyedGenerator(keys[r])
            let start: [Double]
            switch initialization {
            case .kMeansPlusPlus: start = KMeansSeeding.plusPlus(data, k: nClusters, generator: &generator)
            case .random: start = KMeansSeeding.random(data, k: nClusters, generator: &generator)
            case .centers(let given):
                guard given.shape == [nClusters, data.cols], given.dtype.isFloatingPoint else {
                    throw UnsupervisedError.badInitialization(
                        algorithm: "kmeans", reason: "centres of shape \(given.shape), expected [\(nClusters), \(data.cols)]")
                }
                start = given.toArray(as: Double.self)
                guard start.allSatisfy(\.isFinite) else {
                    throw UnsupervisedError.badInitialization(algorithm: "kmeans", reason: "centres hold NaN or infinity")
                }
            }
            let run = algorithm == .lloyd
                ? KMeansLloydProducts.run(data, centers: start, k: nClusters, maxIter: maxIter, tolerance: tolerance)
                : KMeansElkan.run(data, centers: start, k: nClusters, maxIter: maxIter, tolerance: tolerance)
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        return KMeansModel(run: best!, features: data.cols, dtype: data.dtype)
    }
}

/// The outcome of one k-means run (host float64).
struct KMeansRun {
    var centers: [Double]
    var labels: [Int]
    var inertia: Double
    var nIter: Int
}

/// A fitted k-means model.
public struct KMeansModel: Sendable {
    /// Centres `[nClusters, features]` in the data's dtype.
    public let centers: Tensor
    /// The training points' clusters (int64 `[samples]`).
    public let labels: Tensor
    /// `Σ_i ‖x_i - c_{label_i}‖²` over the training data.
    public let inertia: Double
    /// Iterations of the kept run.
    public let nIter: Int
    let hostCenters: [Double]
    let features: Int

    init(run: KMeansRun, features: Int, dtype: DType) {
        hostCenters = run.centers
        self.features = features
        let k = run.centers.count / features
        centers = dtype == .float64 ? Tensor(run.centers, shape: [k, features])
            : Tensor(run.centers.map { Float($0) }, shape: [k, features])
        labels = Tensor(run.labels.map { Int64($0) }, shape: [run.labels.count])
        inertia = run.inertia
        nIter = run.nIter
    }

    /// Number of clusters.
    public var nClusters: Int { hostCenters.count / features }

    func data(_ x: Tensor) throws -> DataMatrix {
        let data = try DataMatrix(x, algorithm: "kmeans")
        guard data.cols == features else { throw UnsupervisedError.featureMismatch(algorithm: "kmeans", expected: features, got: data.cols) }
        return data
    }

    /// The nearest centre of every row of `x` [m, features] (int64 `[m]`).
    public func predict(_ x: Tensor) throws -> Tensor {
        let d = try data(x)
        let labels = KMeansLloyd.assign(d, centers: hostCenters, k: nClusters)
        return Tensor(labels.map { Int64($0) }, shape: [labels.count])
    }

    /// Euclidean distances from every row of `x` to every centre, `[m, nClusters]` in `x`'s dtype.
    public func transform(_ x: Tensor) throws -> Tensor {
        let d = try data(x)
        let k = nClusters
        var out = [Double](repeating: 0, count: d.rows * k)
        for i in 0..<d.rows { for c in 0..<k { out[i * k + c] = d.squaredDistance(row: i, hostCenters, c).squareRoot() } }
        return Tensor.fromHost(out, shape: [d.rows, k], dtype: d.dtype, device: x.device)
    }

    /// Negative inertia of `x` under this model (higher is better, as scikit-learn's `score`).
    public func score(_ x: Tensor) throws -> Double {
        let d = try data(x)
        let labels = KMeansLloyd.assign(d, centers: hostCenters, k: nClusters)
        return -KMeansLloyd.inertia(d, centers: hostCenters, labels: labels)
    }
}
