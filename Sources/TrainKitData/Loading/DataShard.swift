/// One rank's part of every batch in data-parallel training: rank `rank` of `count` takes a contiguous slice
/// of each global batch, so the global order stays a pure function of `(seed, epoch)` whatever `count` is.
///
/// A global batch of `g` rows gives each rank `⌊g / count⌋` rows and the first `g mod count` ranks one more,
/// so the slices tile the batch in rank order: with `g = batchSize × count` every rank gets `batchSize`.
///
/// ```swift
/// DataShard(rank: 1, count: 3).slice(of: 0..<10)   // 4..<7 (rank 0: 0..<4, rank 2: 7..<10)
/// ```
public struct DataShard: Sendable, Hashable {
    public let rank: Int
    public let count: Int

    /// The whole batch (one process).
    public static let whole = DataShard(rank: 0, count: 1)

    public init(rank: Int, count: Int) {
        precondition(count >= 1 && rank >= 0 && rank < count, "DataShard: rank \(rank) of \(count) is out of range")
        self.rank = rank
        self.count = count
    }

    /// This rank's contiguous part of `batch` (empty when the batch has fewer rows than ranks after this one).
    public func slice(of batch: Range<Int>) -> Range<Int> {
        guard count > 1 else { return batch }
        let rows = batch.count, base = rows / count, extra = rows % count
        let start = batch.lowerBound + rank * base + Swift.min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }
}
