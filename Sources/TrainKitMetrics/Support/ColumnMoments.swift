import TrainKitCore

/// Per-column running mean and sum of squared deviations `M2 = Σ (x - x̄)²`, updated batch by batch with
/// Chan et al.'s pairwise formula (no `Σx² - (Σx)²/n` cancellation).
struct ColumnMoments: Sendable, Equatable {
    var mean: [Double] = []
    var m2: [Double] = []
    var count = 0

    /// Adds a float64 `[rows, columns]` block: its column means and `Σ (x - x̄)²` (tensor reductions) come
    /// to the host and merge in.
    mutating func add(_ values: Tensor, metric: String) {
        let rows = values.shape[0]
        guard rows > 0 else { return }
        let mean = values.mean(0, keepDim: true)
        let m2 = (values - mean).square().sum(0)
        merge(ColumnMoments(mean: mean.toArray(as: Double.self), m2: m2.toArray(as: Double.self), count: rows),
              metric: metric)
    }

    /// Combines with `other`: `δ = x̄_b - x̄_a`, `x̄ = x̄_a + δ n_b/n`, `M2 = M2_a + M2_b + δ² n_a n_b / n`.
    mutating func merge(_ other: ColumnMoments, metric: String) {
        guard other.count > 0 else { return }
        if count == 0 {
            self = other
            return
        }
        precondition(
            mean.count == other.mean.count, "\(metric): \(other.mean.count) outputs, earlier batches had \(mean.count)")
        let na = Double(count)
        let nb = Double(other.count)
        let n = na + nb
        for j in mean.indices {
            let delta = other.mean[j] - mean[j]
            mean[j] += delta * nb / n
            m2[j] += other.m2[j] + delta * delta * na * nb / n
        }
        count += other.count
    }
}
