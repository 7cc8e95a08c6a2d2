/// Running mean and variance of a stream of batches, as Stable-Baselines3's `RunningMeanStd` (Chan et al.'s
/// parallel algorithm). Starts at mean 0, variance 1, count `epsilon` (1e-4). Merging a batch of `n` rows with
/// mean `μ_b` and (population) variance `σ²_b`:
///
///     δ = μ_b − μ,   N = count + n
///     μ ← μ + δ·n/N
///     σ² ← (σ²·count + σ²_b·n + δ²·count·n/N) / N,   count ← N
///
/// Shapes: `mean`, `variance` `[dimension]`; a batch is `[rows × dimension]` row-major.
public struct RunningMeanStd: Sendable, Equatable {
    public var mean: [Double]
    public var variance: [Double]
    public var count: Double

    public init(dimension: Int, epsilon: Double = 1e-4) {
        mean = Array(repeating: 0, count: dimension)
        variance = Array(repeating: 1, count: dimension)
        count = epsilon
    }

    /// Merges a batch of `rows` rows (`batch.count == rows × dimension`), each column's mean and population
    /// variance computed in float64.
    public mutating func update<T: BinaryFloatingPoint>(_ batch: [T], rows: Int) {
        let d = mean.count
        guard rows > 0, batch.count == rows * d else { return }
        var batchMean = [Double](repeating: 0, count: d), batchVariance = [Double](repeating: 0, count: d)
        for r in 0..<rows { for j in 0..<d { batchMean[j] += Double(batch[r * d + j]) } }
        for j in 0..<d { batchMean[j] /= Double(rows) }
        for r in 0..<rows {
            for j in 0..<d {
                let x = Double(batch[r * d + j]) - batchMean[j]
                batchVariance[j] += x * x
            }
        }
        for j in 0..<d { batchVariance[j] /= Double(rows) }
        update(mean: batchMean, variance: batchVariance, count: Double(rows))
    }

    /// Merges a batch given by its moments.
    public mutating func update(mean batchMean: [Double], variance batchVariance: [Double], count batchCount: Double) {
        let total = count + batchCount
        for j in 0..<mean.count {
            let delta = batchMean[j] - mean[j]
            let m2 = variance[j] * count + batchVariance[j] * batchCount
                + delta * delta * count * batchCount / (count + batchCount)
            mean[j] = mean[j] + delta * batchCount / total
            variance[j] = m2 / (count + batchCount)
        }
        count = batchCount + count
    }
}
