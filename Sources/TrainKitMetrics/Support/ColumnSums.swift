/// Per-column running sums of a per-element quantity (squared or absolute errors).
struct ColumnSums: Sendable, Equatable {
    var sums: [Double] = []
    var count = 0

    /// Adds a row-major `[rows, columns]` block.
    mutating func add(_ values: [Double], rows: Int, columns: Int, metric: String) {
        guard rows > 0 else { return }
        precondition(
            count == 0 || sums.count == columns,
            "\(metric): \(columns) outputs, earlier batches had \(sums.count)")
        if count == 0 { sums = [Double](repeating: 0, count: columns) }
        for j in 0..<columns {
            var s = 0.0
            for i in 0..<rows { s += values[i * columns + j] }
            sums[j] += s
        }
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
