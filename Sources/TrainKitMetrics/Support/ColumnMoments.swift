/// Per-column running mean and sum of squared deviations `M2 = Σ (x - x̄)²`, updated batch by batch with
/// Chan et al.'s pairwise formula (no `Σx² - (Σx)²/n` cancellation).
struct ColumnMoments: Sendable, Equatable {
    var mean: [Double] = []
    var m2: [Double] = []
    var count = 0

    /// Adds a row-major `[rows, columns]` block.
    mutating func add(_ values: [Double], rows: Int, columns: Int, metric: String) {
        guard rows > 0 else { return }
        var batch = ColumnMoments(
            mean: [Double](repeating: 0, count: columns),
            m2: [Double](repeating: 0, count: columns), count: rows)
        for j in 0..<columns {
            var s = 0.0
            for i in 0..<rows { s += values[i * columns + j] }
            let m = s / Double(rows)
            var q = 0.0
            for i in 0..<rows {
                let d = values[i * columns + j] - m
                q += d * d
            }
            batch.mean[j] = m
            batch.m2[j] = q
        }
        merge(batch, metric: metric)
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
