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

    public static func fit(_ x: Tensor, range: ClosedRange<Double> = 0...1) -> MinMaxScaler {
        let columns = FeatureColumns(x, caller: "MinMaxScaler.fit")
        var minimum = [Double](), maximum = [Double]()
        for j in 0..<columns.width {
            let values = columns.column(j).filter { !$0.isNaN }
            minimum.append(values.min() ?? 0)
            maximum.append(values.max() ?? 0)
        }
        return MinMaxScaler(minimum: minimum, maximum: maximum, lower: range.lowerBound, upper: range.upperBound)
    }

    public func transform(_ x: Tensor) -> Tensor {
        FeatureColumns.apply(x, width: minimum.count, caller: "MinMaxScaler.transform") { j, v in
            let span = maximum[j] - minimum[j]
            return span > 0 ? lower + (v - minimum[j]) * (upper - lower) / span : lower
        }
    }

    public func inverseTransform(_ y: Tensor) -> Tensor {
        FeatureColumns.apply(y, width: minimum.count, caller: "MinMaxScaler.inverseTransform") { j, v in
            minimum[j] + (v - lower) * (maximum[j] - minimum[j]) / (upper - lower)
        }
    }
}
