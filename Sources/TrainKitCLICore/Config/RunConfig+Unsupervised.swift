/// `model:` keys of the unsupervised kinds (`kmeans`, `pca`, `gmm`), under scikit-learn's names so that a
/// `KMeans(n_clusters=8, n_init=10)` reads as `n_clusters: 8`, `n_init: 10`.
public struct UnsupervisedConfig: Equatable, Sendable {
    /// `kmeans`: clusters (default 8).
    public var nClusters = 8
    /// `pca`: components kept (nil: all, `min(samples, features)`); `gmm`: mixture components (default 1).
    public var nComponents: Int?
    /// `gmm`: `full`, `tied`, `diag` or `spherical`.
    public var covarianceType = "full"
    /// `kmeans`: `k-means++` or `random`; `gmm`: `kmeans`, `k-means++`, `random` or `random_from_data`
    /// (nil: `k-means++` / `kmeans`).
    public var initialization: String?
    /// Restarts (nil: scikit-learn's `auto` for k-means, 1 for a mixture).
    public var nInit: Int?
    /// Iterations per run (nil: k-means 300, mixture 100).
    public var maxIter: Int?
    /// Convergence tolerance (nil: k-means 1e-4, mixture 1e-3), with scikit-learn's meaning.
    public var tol: Double?
    /// `kmeans`: `lloyd` or `elkan`.
    public var algorithm = "lloyd"
    /// `pca`: scale the components to unit variance.
    public var whiten = false
    /// `pca`: `auto`, `full`, `covariance_eigh` or `randomized`.
    public var svdSolver = "auto"
    /// `gmm`: added to the covariance diagonals.
    public var regCovar = 1e-6

    public init() {}
}

extension RunConfig {
    /// The choices of `model.init` over both kinds that read it (each kind checks its own).
    static let initChoices = ["k-means++", "random", "kmeans", "random_from_data"]

    /// The keys of ``UnsupervisedConfig`` (added to ``fields`` after the other model keys).
    static let unsupervisedFields: [ConfigField] = [
        ConfigField(path: "model.n_clusters", type: .integer, bounds: .atLeast(1), defaultText: "8",
                    doc: "clusters; more than the training rows is a data error.", kinds: [.kmeans],
                    write: { $0.model.kind == .kmeans ? .int($0.model.unsupervised.nClusters) : nil }),
        ConfigField(path: "model.n_components", type: .integer, bounds: .atLeast(1), defaultText: "pca: all, gmm: 1",
                    doc: "principal components kept (`pca`, at most `min(rows, features)`); mixture components (`gmm`, at most the rows).",
                    kinds: [.pca, .gmm],
                    write: { [.pca, .gmm].contains($0.model.kind) ? ($0.model.unsupervised.nComponents ?? ($0.model.kind == .gmm ? 1 : nil)).map { .int($0) } : nil }),
        ConfigField(path: "model.covariance_type", type: .choice(["full", "tied", "diag", "spherical"]), defaultText: "`full`",
                    doc: "the shape of each component's covariance.", kinds: [.gmm],
                    write: { $0.model.kind == .gmm ? .string($0.model.unsupervised.covarianceType) : nil }),
        ConfigField(path: "model.init", type: .choice(initChoices), defaultText: "kmeans `k-means++`, gmm `kmeans`",
                    doc: "how the centres start: kmeans `k-means++` or `random`; gmm `kmeans`, `k-means++`, `random` or `random_from_data` (scikit-learn's `init_params`).",
                    kinds: [.kmeans, .gmm],
                    write: { $0.model.kind.isUnsupervised ? $0.model.unsupervised.initialization.map { .string($0) } : nil }),
        ConfigField(path: "model.n_init", type: .integer, bounds: .atLeast(1), defaultText: "kmeans `auto` (1, random 10), gmm 1",
                    doc: "runs from different starts; the best is kept.", kinds: [.kmeans, .gmm],
                    write: { $0.model.kind.isUnsupervised ? $0.model.unsupervised.nInit.map { .int($0) } : nil }),
        ConfigField(path: "model.max_iter", type: .integer, bounds: .atLeast(1), defaultText: "kmeans 300, gmm 100",
                    doc: "iterations per run.", kinds: [.kmeans, .gmm],
                    write: { $0.model.kind.isUnsupervised ? $0.model.unsupervised.maxIter.map { .int($0) } : nil }),
        ConfigField(path: "model.tol", type: .number, bounds: .atLeast(0), defaultText: "kmeans 1e-4, gmm 1e-3",
                    doc: "convergence tolerance, as scikit-learn means it (kmeans: relative to the mean feature variance; gmm: of the lower bound).",
                    kinds: [.kmeans, .gmm],
                    write: { $0.model.kind.isUnsupervised ? $0.model.unsupervised.tol.map { .double($0) } : nil }),
        ConfigField(path: "model.algorithm", type: .choice(["lloyd", "elkan"]), defaultText: "`lloyd`",
                    doc: "the k-means iteration (same result; elkan skips distances by the triangle inequality).", kinds: [.kmeans],
                    write: { $0.model.kind == .kmeans ? .string($0.model.unsupervised.algorithm) : nil }),
        ConfigField(path: "model.reg_covar", type: .number, bounds: .atLeast(0), defaultText: "1e-6",
                    doc: "added to the covariance diagonals.", kinds: [.gmm],
                    write: { $0.model.kind == .gmm ? .double($0.model.unsupervised.regCovar) : nil }),
        ConfigField(path: "model.whiten", type: .boolean, defaultText: "false",
                    doc: "scale the components to unit variance.", kinds: [.pca],
                    write: { $0.model.kind == .pca ? .bool($0.model.unsupervised.whiten) : nil }),
        ConfigField(path: "model.svd_solver", type: .choice(["auto", "full", "covariance_eigh", "randomized"]), defaultText: "`auto`",
                    doc: "how the components are found (scikit-learn's rule for `auto`).", kinds: [.pca],
                    write: { $0.model.kind == .pca ? .string($0.model.unsupervised.svdSolver) : nil }),
    ]

    /// Reads the keys above (``decodeArchitectureKeys(_:into:)`` has already refused those of another kind).
    static func decodeUnsupervisedKeys(_ s: ConfigSection, into m: inout ModelConfig) throws {
        guard m.kind.isUnsupervised else { return }
        var u = UnsupervisedConfig()
        if let k = try s.int("n_clusters") {
            guard k >= 1 else { throw s.invalid("n_clusters", "must be >= 1, got \(k)") }
            u.nClusters = k
        }
        if let k = try s.int("n_components") {
            guard k >= 1 else { throw s.invalid("n_components", "must be >= 1, got \(k)") }
            u.nComponents = k
        }
        u.covarianceType = try s.choice("covariance_type") ?? u.covarianceType
        if let given = try s.string("init") {  // read as written: `k-means++` keeps its hyphen
            let start = given.lowercased()
            let allowed = m.kind == .kmeans ? ["k-means++", "random"] : ["kmeans", "k-means++", "random", "random_from_data"]
            guard allowed.contains(start) else {
                let hint = nearest(start, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
                throw s.invalid("init", "unknown \(m.kind.rawValue) init '\(given)' (expected one of: \(allowed.joined(separator: ", ")))\(hint)")
            }
            u.initialization = start
        }
        if let n = try s.int("n_init") {
            guard n >= 1 else { throw s.invalid("n_init", "must be >= 1, got \(n)") }
            u.nInit = n
        }
        if let n = try s.int("max_iter") {
            guard n >= 1 else { throw s.invalid("max_iter", "must be >= 1, got \(n)") }
            u.maxIter = n
        }
        if let tol = try s.double("tol") {
            guard tol >= 0 && tol.isFinite else { throw s.invalid("tol", "must be >= 0, got \(tol)") }
            u.tol = tol
        }
        u.algorithm = try s.choice("algorithm") ?? u.algorithm
        if let reg = try s.double("reg_covar") {
            guard reg >= 0 && reg.isFinite else { throw s.invalid("reg_covar", "must be >= 0, got \(reg)") }
            u.regCovar = reg
        }
        u.whiten = try s.bool("whiten") ?? u.whiten
        u.svdSolver = try s.choice("svd_solver") ?? u.svdSolver
        m.unsupervised = u
    }
}
