/// The hyperparameters a study searches: a ``Distribution`` per dotted config path
/// (`training.optimizer.lr`, `model.hidden`), kept sorted by path so every sampler visits the dimensions in
/// one fixed order (the same seed gives the same parameters).
///
/// Codable as a JSON object from path to spec:
/// `{"model.dropout": {"tune": "uniform", "low": 0, "high": 0.5},
///   "training.optimizer.lr": {"tune": "loguniform", "low": 0.0001, "high": 0.1}}`.
///
/// ```swift
/// let space = try SearchSpace(["training.optimizer.lr": .logUniform(low: 1e-4, high: 1e-1),
///                              "model.hidden": .choice([.string("[64]"), .string("[128, 64]")])])
/// ```
public struct SearchSpace: Codable, Sendable, Hashable {
    /// The dimensions, sorted by path.
    public private(set) var dimensions: [(path: String, distribution: Distribution)]

    /// A space from path → distribution (each validated).
    public init(_ distributions: [String: Distribution]) throws {
        for (path, d) in distributions {
            guard !path.isEmpty else {
                throw SelectionError.invalidSpace(path: "(empty)", message: "a parameter needs a path")
            }
            try d.validate(path: path)
        }
        dimensions = distributions.keys.sorted().map { ($0, distributions[$0]!) }
    }

    /// The dotted paths, sorted.
    public var paths: [String] { dimensions.map(\.path) }
    /// Whether nothing is searched.
    public var isEmpty: Bool { dimensions.isEmpty }

    /// The distribution at `path`.
    public subscript(path: String) -> Distribution? { dimensions.first { $0.path == path }?.distribution }

    /// The number of grid points with `n` per continuous dimension (``Distribution/gridPoints(_:)``).
    public func gridSize(pointsPerDimension n: Int) -> Int {
        dimensions.reduce(1) { $0 * $1.distribution.gridPoints(n).count }
    }

    /// `params` with each value in its distribution's type (``Distribution/normalize(_:)``); nil when a path is
    /// missing, unknown, or its value out of range.
    public func normalized(_ params: [String: ParameterValue]) -> [String: ParameterValue]? {
        guard params.count == dimensions.count else { return nil }
        var out: [String: ParameterValue] = [:]
        for (path, d) in dimensions {
            guard let v = params[path], let n = d.normalize(v) else { return nil }
            out[path] = n
        }
        return out
    }

    /// Whether two parameter sets are the same point of this space.
    func same(_ a: [String: ParameterValue], _ b: [String: ParameterValue]) -> Bool {
        dimensions.allSatisfy { dim in
            guard let x = a[dim.path], let y = b[dim.path] else { return false }
            return x.matches(y)
        }
    }

    // MARK: - Hashable, Codable

    /// Same paths and distributions; choice values compare up to number representation (`2` and `2.0`), as
    /// they do after a JSON round trip.
    public static func == (a: SearchSpace, b: SearchSpace) -> Bool {
        a.dimensions.count == b.dimensions.count
            && zip(a.dimensions, b.dimensions).allSatisfy {
                $0.path == $1.path && $0.distribution.isEquivalent(to: $1.distribution)
            }
    }

    public func hash(into hasher: inout Hasher) {
        for (path, _) in dimensions { hasher.combine(path) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        try self.init(try c.decode([String: Distribution].self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        var map: [String: Distribution] = [:]
        for (path, d) in dimensions { map[path] = d }
        try c.encode(map)
    }
}
