import TrainKitCore

/// Per-column running sums of a per-element quantity (squared or absolute errors).
struct ColumnSums: Sendable, Equatable {
    var sums: [Double] = []
    var count = 0

    /// Adds a float64 `[rows, columns]` block: its column sums (a tensor reduction) come to the host.
    mutating func add(_ values: Tensor, metric: String) {
        let (rows, columns) = (values.shape[0], values.shape[1])
        guard rows > 0 else { return }
        precondition(
            count == 0 || sums.count == columns,
            "\(metric): \(columns) outputs, earlier batches had \(sums.count)")
        if count == 0 { sums = [Double](repeating: 0, count: columns) }
        for (j, s) in values.sum(0).toArray(as: Double.self).enumerated() { sums[j] += s }
        count += rows
    }

    mutating func merge(_ other: ColumnSums, metric: String) {
        guard other.count > 0 else { return }
        if count == 0 {
            self = other
            return
        }
        precondition(sums.count == other.sums.count, "\(metric).merge: \(other.sums.count) outputs vs \(sums.count)")
        for j in sums.indices { sums[j] += other.sums[j] }
        count += other.count
    }

    /// Per-column means (empty before any sample).
    var means: [Double] { sums.map { $0 / Double(count) } }
}
