/// A histogram as TensorBoard's `HistogramProto` stores it: count, sum, sum of squares, extremes, and buckets where
/// bucket `i` counts the values in `(bucketLimits[i-1], bucketLimits[i]]` (the first from `min`).
///
/// Values are split into ``defaultBucketCount`` equal-width buckets between the smallest and the largest finite
/// value (as tensorboard's `histogram` summary does); non-finite values are left out.
public struct Histogram: Equatable, Sendable {
    public static let defaultBucketCount = 30

    public var min = 0.0
    public var max = 0.0
    public var count = 0.0
    public var sum = 0.0
    public var sumOfSquares = 0.0
    /// The right edge of each bucket.
    public var bucketLimits: [Double] = []
    public var bucketCounts: [Double] = []

    public init<Values: Collection>(_ values: Values, bucketCount: Int = Histogram.defaultBucketCount)
    where Values.Element == Float {
        let finite = values.lazy.filter(\.isFinite).map(Double.init)
        guard let low = finite.min(), let high = finite.max() else { return }
        min = low
        max = high
        let buckets = high > low ? Swift.max(bucketCount, 1) : 1
        let width = (high - low) / Double(buckets)
        bucketLimits = (1...buckets).map { $0 == buckets ? high : low + width * Double($0) }
        bucketCounts = Array(repeating: 0, count: buckets)
        for v in finite {
            count += 1
            sum += v
            sumOfSquares += v * v
            let index = width > 0 ? Swift.min(Int(((v - low) / width).rounded(.up)) - 1, buckets - 1) : 0
            bucketCounts[Swift.max(index, 0)] += 1
        }
    }
}
