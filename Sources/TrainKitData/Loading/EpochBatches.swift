import TrainKitCore

/// The batches of one epoch of a ``DataLoader``, from a starting batch index to the end.
///
/// Iterating builds batches on the caller's thread, or on the loader's background threads when its
/// `prefetch` is above zero; the sequence is the same either way. Stopping early (leaving the loop)
/// stops the background threads after the batch each is building.
public struct EpochBatches<Output: Sendable>: Sequence, Sendable {
    let loader: DataLoader<Output>
    public let epoch: Int
    public let start: Int

    /// The number of batches this sequence yields.
    public var count: Int { loader.batchesPerEpoch - start }
    public var underestimatedCount: Int { count }

    public func makeIterator() -> Iterator {
        let order = loader.order(epoch: epoch)
        let transformKeys = loader.transform == nil
            ? [] : DataLoader<Output>.child(RandomKey(seed: loader.seed).split(2)[1], epoch).split(loader.batchesPerEpoch)
        let loader = self.loader
        let build: @Sendable (Int) -> Output = { b in
            let batch = loader.makeBatch(Array(order[loader.batchRange(b)]))
            guard let transform = loader.transform else { return batch }
            return transform(batch, transformKeys[b])
        }
        let end = loader.batchesPerEpoch
        if loader.prefetch == 0 {
            return Iterator(position: start, end: end, build: build, prefetcher: nil)
        }
        let prefetcher = Prefetcher(range: start..<end, capacity: loader.prefetch, workers: loader.workers, build: build)
        return Iterator(position: start, end: end, build: build, prefetcher: prefetcher)
    }

    public struct Iterator: IteratorProtocol {
        var position: Int
        let end: Int
        let build: @Sendable (Int) -> Output
        let prefetcher: Prefetcher<Output>?

        public mutating func next() -> Output? {
            guard position < end else { return nil }
            defer { position += 1 }
            if let prefetcher { return prefetcher.take(position) }
            return build(position)
        }
    }
}
