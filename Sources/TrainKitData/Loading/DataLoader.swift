import Synchronization
import TrainKitCore

/// Batches from a ``Dataset``: seeded shuffling, batching, drop-last, collation and background prefetch.
///
/// The order of epoch `e` is a pure function of `(seed, e)`: the permutation
/// `Tensor.permutation(count, key: RandomKey(seed: seed).split(e + 1)[e])` when `shuffle` is on,
/// `0..<count` when off. So a run stopped after batch `b` of epoch `e` resumes with
/// `batches(epoch: e, startingAt: b + 1)` and sees exactly the batches it would have seen.
///
/// Batches of ``Sample`` datasets are gathered from contiguous buffers in one pass when the dataset is
/// a ``GatheringDataset`` (``TensorDataset``, and subsets or concatenations of them), else stacked.
/// With `prefetch > 0`, `workers` background threads build up to `prefetch` batches ahead of the
/// consumer (a bounded queue); batches still come out in order, identical to `prefetch: 0`.
///
/// ```swift
/// let loader = DataLoader(train, batchSize: 64, shuffle: true, seed: 0, prefetch: 4)
/// for epoch in 0..<10 {
///     for batch in loader.batches(epoch: epoch) { _ = batch.features  /* [64, 1, 28, 28] */ }
/// }
/// ```
/// Iterating the loader itself (`for batch in loader`) runs the next epoch: 0, then 1, and so on.
public final class DataLoader<Output: Sendable>: Sequence, Sendable {
    /// Elements in the dataset.
    public let datasetCount: Int
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    public let seed: UInt64
    /// Batches built ahead of the consumer (0: build each batch on the caller's thread when asked).
    public let prefetch: Int
    /// Background threads building batches when `prefetch > 0`.
    public let workers: Int
    /// The part of each batch this process builds (data-parallel training); ``DataShard/whole`` by default.
    public let shard: DataShard
    let makeBatch: @Sendable ([Int]) -> Output
    let transform: (@Sendable (Output, RandomKey) -> Output)?
    private let nextEpoch = Mutex(0)

    /// A loader over a dataset of ``Sample``s yielding ``Batch``es (features `[B, ...]`, labels `[B, ...]`).
    /// - Parameters:
    ///   - batchSize: examples per batch (the last one may be smaller unless `dropLast`).
    ///   - shuffle: a fresh seeded permutation every epoch.
    ///   - dropLast: drop the last batch when it is smaller than `batchSize`.
    ///   - seed: the seed of every epoch's order and of `transform`'s keys.
    ///   - prefetch: batches built ahead on background threads; 0 disables prefetch.
    ///   - workers: background threads (used when `prefetch > 0`).
    ///   - transform: a seeded batch transform (augmentation); its key is a pure function of
    ///     `(seed, epoch, batch index)`, so augmented runs resume exactly too.
    ///   - shard: build only this rank's slice of each batch (`batchSize` is then the global batch).
    public convenience init<D: Dataset>(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, seed: UInt64 = 0,
        prefetch: Int = 0, workers: Int = 1, transform: (@Sendable (Batch, RandomKey) -> Batch)? = nil,
        shard: DataShard = .whole
    ) where D.Element == Sample, Output == Batch {
        let make: @Sendable ([Int]) -> Batch
        if let gathering = dataset as? any GatheringDataset {
            make = { gathering.gather($0) }
        } else {
            make = { indices in Batch.collate(indices.map { dataset[$0] }) }
        }
        self.init(count: dataset.count, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, seed: seed,
                  prefetch: prefetch, workers: workers, makeBatch: make, transform: transform, shard: shard)
    }

    /// A loader over any dataset, with `collate` turning a batch's elements (in order) into the output.
    public convenience init<D: Dataset>(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, seed: UInt64 = 0,
        prefetch: Int = 0, workers: Int = 1, transform: (@Sendable (Output, RandomKey) -> Output)? = nil,
        collate: @escaping @Sendable ([D.Element]) -> Output
    ) {
        self.init(count: dataset.count, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, seed: seed,
                  prefetch: prefetch, workers: workers, makeBatch: { collate($0.map { dataset[$0] }) },
                  transform: transform)
    }

    /// A loader over `count` indices whose batches `makeBatch` builds from index lists.
    public init(count: Int, batchSize: Int, shuffle: Bool, dropLast: Bool, seed: UInt64, prefetch: Int,
                workers: Int, makeBatch: @escaping @Sendable ([Int]) -> Output,
                transform: (@Sendable (Output, RandomKey) -> Output)? = nil, shard: DataShard = .whole) {
        precondition(batchSize >= 1, "DataLoader: batchSize must be >= 1, got \(batchSize)")
        precondition(prefetch >= 0, "DataLoader: prefetch must be >= 0, got \(prefetch)")
        precondition(workers >= 1, "DataLoader: workers must be >= 1, got \(workers)")
        self.datasetCount = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.prefetch = prefetch
        self.workers = workers
        self.makeBatch = makeBatch
        self.transform = transform
        self.shard = shard
    }

    /// Batches per epoch: `⌊count / batchSize⌋` with `dropLast`, else `⌈count / batchSize⌉`.
    public var batchesPerEpoch: Int {
        dropLast ? datasetCount / batchSize : (datasetCount + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the dataset (a pure function of `seed` and `epoch`).
    public func order(epoch: Int) -> [Int] {
        precondition(epoch >= 0, "DataLoader: epoch must be >= 0, got \(epoch)")
        guard shuffle else { return Array(0..<datasetCount) }
        return Tensor.permutation(datasetCount, key: Self.child(RandomKey(seed: seed).split(2)[0], epoch))
    }

    /// The dataset indices of batch `batch` of epoch `epoch`.
    public func indices(epoch: Int, batch: Int) -> [Int] {
        let order = order(epoch: epoch)
        return Array(order[batchRange(batch)])
    }

    /// The batches of `epoch` from `batchIndex` on: exactly the tail of an uninterrupted epoch.
    public func batches(epoch: Int, startingAt batchIndex: Int = 0) -> EpochBatches<Output> {
        precondition(batchIndex >= 0 && batchIndex <= batchesPerEpoch,
                     "DataLoader: batch index \(batchIndex) out of range 0...\(batchesPerEpoch)")
        return EpochBatches(loader: self, epoch: epoch, start: batchIndex)
    }

    /// The epoch the next `for batch in loader` runs (it then advances by one). Set it to resume.
    public var epoch: Int {
        get { nextEpoch.withLock { $0 } }
        set { nextEpoch.withLock { $0 = newValue } }
    }

    /// Runs the next epoch (see ``epoch``).
    public func makeIterator() -> EpochBatches<Output>.Iterator {
        let e = nextEpoch.withLock { e in
            defer { e += 1 }
            return e
        }
        return batches(epoch: e).makeIterator()
    }

    /// The positions in the epoch's order of batch `batch` (this shard's slice of them).
    func batchRange(_ batch: Int) -> Range<Int> {
        let start = batch * batchSize
        let range = start..<Swift.min(start + batchSize, datasetCount)
        return shard.count == 1 ? range : shard.slice(of: range)
    }

    /// Rows in batch `batch` over all shards (the global batch).
    public func globalBatchCount(_ batch: Int) -> Int {
        Swift.min(batchSize, datasetCount - batch * batchSize)
    }

    /// Child `i` of `key` (`key.split(i + 1)[i]`).
    static func child(_ key: RandomKey, _ i: Int) -> RandomKey { key.split(i + 1)[i] }
}
