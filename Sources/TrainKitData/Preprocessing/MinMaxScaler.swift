import TrainKitCore

/// Scales each feature linearly so the training minimum maps to `range.lower` and the maximum to
/// `range.upper` (default [0, 1]): `y = lower + (x - min) · (upper - lower) / (max - min)`; a constant
/// feature maps to `lower`. Fitted on training data (NaNs ignored), `Codable`.
///
/// Shapes: fit on `[N, F]`, transform `[M, F] -> [M, F]`. Values outside the training range map
/// outside the target range (no clipping), as in scikit-learn.
public struct MinMaxScaler: Codable, Sendable, Equatable {
    public var minimum: [Double]
    public var maximum: [Double]
    public var lower: Double
    public var upper: Double

    public init(minimum: [Double], maximum: [Double], lower: Double = 0, upper: Double = 1) {
        precondition(minimum.count == maximum.count, "MinMaxScaler: \(minimum.count) minimums, \(maximum.count) maximums")
        self.minimum = minimum
        self.maximum = maximum
        self.lower = lower
        self.upper = upper
    }

    /// Per-feature minimum and maximum of `x` (`[N, F]` or `[N]`, NaNs ignored; an all-NaN feature gets 0),
    /// in tensor ops on `x`'s device; the `2F` numbers come to the host once.
    public static func fit(_ x: Tensor, range: ClosedRange<Double> = 0...1) -> MinMaxScaler {
        let columns = FeatureColumns(x, caller: "MinMaxScaler.fit")
        let missing = columns.present .== 0
        let empty = columns.counts .== 0  // all-NaN features: 0 for both
        let minimum = columns.values.maskedFill(missing, with: .infinity).min(0).maskedFill(empty, with: 0)
        let maximum = columns.values.maskedFill(missing, with: -.infinity).max(0).maskedFill(empty, with: 0)
        return MinMaxScaler(minimum: minimum.toArray(as: Double.self), maximum: maximum.toArray(as: Double.self),
                            lower: range.lowerBound, upper: range.upperBound)
    }

    /// `lower + (x - min)·(upper - lower)/(max - min)` per feature (`lower` where `max = min`), float32.
    public func transform(_ x: Tensor) -> Tensor {
        let v = FeatureColumns.checked(x, width: minimum.count, caller: "MinMaxScaler.transform")
        let spans = zip(maximum, minimum).map { $0 - $1 }
        let scaled = (v - FeatureColumns.row(minimum, like: v)) * (upper - lower)
            / FeatureColumns.row(spans.map { $0 > 0 ? $0 : 1 }, like: v) + lower
        let constant = Tensor(spans.map { $0 <= 0 }, shape: [spans.count], device: v.device)
        return scaled.maskedFill(constant, with: lower).to(.float32)
    }

    /// One value of feature `j`, as ``transform(_:)`` computes it (float64, rounded to float32 once).
    func scaledValue(_ x: Double, feature j: Int) -> Float {
        let span = maximum[j] - minimum[j]
        guard span > 0 else { return Float(lower) }
        return Float((x - minimum[j]) * (upper - lower) / span + lower)
    }

    /// `min + (y - lower)·(max - min)/(upper - lower)` per feature, float32.
    public func inverseTransform(_ y: Tensor) -> Tensor {
        let v = FeatureColumns.checked(y, width: minimum.count, caller: "MinMaxScaler.inverseTransform")
        let spans = zip(maximum, minimum).map { $0 - $1 }
        let range = Tensor(scalar: upper - lower, dtype: .float64, like: v)
        return ((v - lower) * FeatureColumns.row(spans, like: v) / range + FeatureColumns.row(minimum, like: v))
            .to(.float32)
    }
}
