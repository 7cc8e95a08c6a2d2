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

    /// Per-feature mean and standard deviation of `x` (`[N, F]`, or `[N]` for one feature), in float64 tensor
    /// ops on `x`'s device; the `F` numbers come to the host once.
    public static func fit(_ x: Tensor) -> StandardScaler {
        let columns = FeatureColumns(x, caller: "StandardScaler.fit")
        let count = columns.counts.clamp(min: 1)  // an all-NaN feature: mean 0, std 1
        let mean = columns.values.sum(0) / count
        let variance = ((columns.values - mean) * columns.present).square().sum(0) / count
        return StandardScaler(mean: mean.toArray(as: Double.self),
                              std: variance.toArray(as: Double.self).map { $0 > 0 ? $0.squareRoot() : 1 })
    }

    /// `(x - mean) / std`, float32, shaped like `x` (computed in float64).
    public func transform(_ x: Tensor) -> Tensor {
        let v = FeatureColumns.checked(x, width: mean.count, caller: "StandardScaler.transform")
        return ((v - FeatureColumns.row(mean, like: v)) / FeatureColumns.row(std, like: v)).to(.float32)
    }

    /// `y · std + mean` (back to the original units), float32.
    public func inverseTransform(_ y: Tensor) -> Tensor {
        let v = FeatureColumns.checked(y, width: mean.count, caller: "StandardScaler.inverseTransform")
        return (v * FeatureColumns.row(std, like: v) + FeatureColumns.row(mean, like: v)).to(.float32)
    }
}

/// A `[N, F]` (or `[N]`) tensor prepared for per-feature statistics, and the per-feature maps of the scalers,
/// as float64 tensor ops on the tensor's device.
struct FeatureColumns {
    /// The values as float64 `[N, F]`, NaNs replaced by 0.
    let values: Tensor
    /// 1 where a value is present (not NaN), else 0: `[N, F]` float64.
    let present: Tensor
    /// Present values per feature: `[F]` float64.
    var counts: Tensor { present.sum(0) }

    init(_ x: Tensor, caller: String) {
        precondition(x.rank == 1 || x.rank == 2, "\(caller): expects [N, F] or [N], got \(x.shape)")
        let v = x.detach().to(.float64).reshape([x.shape[0], x.rank == 2 ? x.shape[1] : 1])
        let missing = v .!= v  // NaN
        values = v.maskedFill(missing, with: 0)
        present = missing.logicalNot().to(.float64)
    }

    /// `x` as float64 after checking it has `width` features.
    static func checked(_ x: Tensor, width: Int, caller: String) -> Tensor {
        precondition((x.rank == 2 && x.shape[1] == width) || (x.rank == 1 && width == 1),
                     "\(caller): fitted on \(width) features, got shape \(x.shape)")
        return x.detach().to(.float64)
    }

    /// Per-feature numbers as a float64 tensor on `x`'s device that broadcasts over `x` (`[F]`, or `[1]`).
    static func row(_ numbers: [Double], like x: Tensor) -> Tensor {
        Tensor(numbers, shape: [numbers.count], device: x.device)
    }
}
