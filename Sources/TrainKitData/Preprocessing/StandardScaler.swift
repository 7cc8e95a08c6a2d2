import TrainKitCore

/// Standardizes features to zero mean and unit variance: `y = (x - mean) / std`, per feature
/// (scikit-learn's `StandardScaler`; `std` is the population standard deviation, and a constant feature
/// keeps `std = 1`). Fitted on training data, `Codable` so prediction applies the same numbers.
///
/// Shapes: fit on `[N, F]`, transform `[M, F] -> [M, F]`. NaNs are ignored when fitting and stay NaN.
///
/// ```swift
/// let scaler = StandardScaler.fit(train.features)
/// let x = scaler.transform(test.features)
/// let json = try JSONEncoder().encode(scaler)
/// ```
public struct StandardScaler: Codable, Sendable, Equatable {
    public var mean: [Double]
    public var std: [Double]

    public init(mean: [Double], std: [Double]) {
        precondition(mean.count == std.count, "StandardScaler: \(mean.count) means, \(std.count) stds")
        self.mean = mean
        self.std = std
    }

    /// Per-feature mean and standard deviation of `x` (`[N, F]`, or `[N]` for one feature).
    public static func fit(_ x: Tensor) -> StandardScaler {
        let columns = FeatureColumns(x, caller: "StandardScaler.fit")
        var mean = [Double](), std = [Double]()
        for j in 0..<columns.width {
            let values = columns.column(j).filter { !$0.isNaN }
            let m = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)
            mean.append(m)
            std.append(variance > 0 ? variance.squareRoot() : 1)
        }
        return StandardScaler(mean: mean, std: std)
    }

    /// `(x - mean) / std`, float32, shaped like `x`.
    public func transform(_ x: Tensor) -> Tensor {
        FeatureColumns.apply(x, width: mean.count, caller: "StandardScaler.transform") { j, v in (v - mean[j]) / std[j] }
    }

    /// `y · std + mean` (back to the original units).
    public func inverseTransform(_ y: Tensor) -> Tensor {
        FeatureColumns.apply(y, width: mean.count, caller: "StandardScaler.inverseTransform") { j, v in v * std[j] + mean[j] }
    }
}

/// The columns of a `[N, F]` (or `[N]`) tensor as float64 arrays, and per-feature element maps.
struct FeatureColumns {
    let values: [Double]
    let rows: Int
    let width: Int

    init(_ x: Tensor, caller: String) {
        precondition(x.rank == 1 || x.rank == 2, "\(caller): expects [N, F] or [N], got \(x.shape)")
        values = x.toArray(as: Double.self)
        rows = x.shape[0]
        width = x.rank == 2 ? x.shape[1] : 1
    }

    func column(_ j: Int) -> [Double] { (0..<rows).map { values[$0 * width + j] } }

    /// `f(feature, value)` for every element, as float32 with `x`'s shape.
    static func apply(_ x: Tensor, width: Int, caller: String, _ f: (Int, Double) -> Double) -> Tensor {
        precondition((x.rank == 2 && x.shape[1] == width) || (x.rank == 1 && width == 1),
                     "\(caller): fitted on \(width) features, got shape \(x.shape)")
        let values = x.toArray(as: Double.self)
        return Tensor.make(shape: x.shape, as: Float.self) { out in
            for i in 0..<values.count { out[i] = Float(f(i % width, values[i])) }
        }
    }
}
