import Testing
import TrainKitCore
@testable import TrainKitData

private func labels(_ batches: some Sequence<Batch>) -> [[Int64]] {
    batches.map { $0.labels.toArray(as: Int64.self) }
}

/// A dataset whose label is its index, so batches show the order.
private func indexDataset(_ n: Int) -> TensorDataset {
    TensorDataset(features: Tensor((0..<n).map(Float.init), shape: [n, 1]), labels: Tensor(Array(0..<n)))
}

@Test func loaderBatchesInOrderWithoutShuffle() {
    let loader = DataLoader(indexDataset(10), batchSize: 4)
    #expect(loader.batchesPerEpoch == 3)
    #expect(labels(loader.batches(epoch: 0)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    let dropped = DataLoader(indexDataset(10), batchSize: 4, dropLast: true)
    #expect(labels(dropped.batches(epoch: 0)) == [[0, 1, 2, 3], [4, 5, 6, 7]])
    let first = Array(loader.batches(epoch: 0))[1]
    #expect(first.features.shape == [4, 1])
    #expect(first.features.toArray() == [4, 5, 6, 7])
}

@Test func sameSeedGivesSameBatchesAndEpochsDiffer() {
    let a = DataLoader(indexDataset(50), batchSize: 8, shuffle: true, seed: 42)
    let b = DataLoader(indexDataset(50), batchSize: 8, shuffle: true, seed: 42)
    let c = DataLoader(indexDataset(50), batchSize: 8, shuffle: true, seed: 43)
    #expect(labels(a.batches(epoch: 0)) == labels(b.batches(epoch: 0)))
    #expect(labels(a.batches(epoch: 3)) == labels(b.batches(epoch: 3)))
    #expect(labels(a.batches(epoch: 0)) != labels(a.batches(epoch: 1)))
    #expect(labels(a.batches(epoch: 0)) != labels(c.batches(epoch: 0)))
    #expect(Set(labels(a.batches(epoch: 2)).flatMap { $0 }) == Set(0..<50))
}

@Test func resumingMidEpochGivesTheRemainingBatches() {
    let loader = DataLoader(indexDataset(37), batchSize: 5, shuffle: true, seed: 9)
    for epoch in [0, 1, 4] {
        let full = labels(loader.batches(epoch: epoch))
        for start in [0, 1, 3, 7, 8] {
            let resumed = labels(DataLoader(indexDataset(37), batchSize: 5, shuffle: true, seed: 9)
                .batches(epoch: epoch, startingAt: start))
            #expect(resumed == Array(full[start...]), "epoch \(epoch) from batch \(start)")
        }
        #expect(loader.indices(epoch: epoch, batch: 2).map(Int64.init) == full[2])
    }
}

@Test func iteratingTheLoaderAdvancesEpochs() {
    let loader = DataLoader(indexDataset(20), batchSize: 20, shuffle: true, seed: 5)
    let first = labels(loader)
    let second = labels(loader)
    #expect(first == labels(loader.batches(epoch: 0)))
    #expect(second == labels(loader.batches(epoch: 1)))
    #expect(loader.epoch == 2)
    loader.epoch = 0
    #expect(labels(loader) == first)
}

@Test(arguments: [(1, 1), (2, 1), (4, 3), (16, 2)])
func prefetchYieldsTheSameBatches(prefetch: Int, workers: Int) {
    let data = indexDataset(103)
    let plain = DataLoader(data, batchSize: 7, shuffle: true, seed: 1)
    let ahead = DataLoader(data, batchSize: 7, shuffle: true, seed: 1, prefetch: prefetch, workers: workers)
    for epoch in 0..<3 {
        #expect(labels(ahead.batches(epoch: epoch)) == labels(plain.batches(epoch: epoch)))
        #expect(labels(ahead.batches(epoch: epoch, startingAt: 5)) == labels(plain.batches(epoch: epoch, startingAt: 5)))
    }
}

@Test func leavingAPrefetchedEpochEarlyStopsCleanly() {
    let loader = DataLoader(indexDataset(1000), batchSize: 10, shuffle: true, prefetch: 4, workers: 2)
    for _ in 0..<20 {
        var seen = 0
        for _ in loader.batches(epoch: 0) {
            seen += 1
            if seen == 3 { break }
        }
        #expect(seen == 3)
    }
}

@Test func loaderCollatesGenericElements() {
    let words = WordList(words: ["a", "bb", "ccc", "dddd", "eeeee"])
    let loader = DataLoader(words, batchSize: 2, collate: { $0.joined(separator: "+") })
    #expect(Array(loader.batches(epoch: 0)) == ["a+bb", "ccc+dddd", "eeeee"])
    let prefetched = DataLoader(words, batchSize: 2, shuffle: true, seed: 3, prefetch: 2, collate: { $0.joined() })
    let plain = DataLoader(words, batchSize: 2, shuffle: true, seed: 3, collate: { $0.joined() })
    #expect(Array(prefetched.batches(epoch: 1)) == Array(plain.batches(epoch: 1)))
}

@Test func seededBatchTransformIsResumable() {
    let data = indexDataset(30)
    let noisy: @Sendable (Batch, RandomKey) -> Batch = { batch, key in
        Batch(features: batch.features + Tensor.uniform(batch.features.shape, key: key), labels: batch.labels)
    }
    let loader = DataLoader(data, batchSize: 4, shuffle: true, seed: 2, transform: noisy)
    let full = loader.batches(epoch: 1).map { $0.features.toArray() }
    let resumed = loader.batches(epoch: 1, startingAt: 3).map { $0.features.toArray() }
    #expect(resumed == Array(full[3...]))
    let again = DataLoader(data, batchSize: 4, shuffle: true, seed: 2, prefetch: 2, transform: noisy)
    #expect(again.batches(epoch: 1).map { $0.features.toArray() } == full)
}

@Test func nonGatheringDatasetsAreStacked() {
    let mapped = indexDataset(6).map { Sample(features: $0.features + 100, label: $0.label) }
    let loader = DataLoader(mapped, batchSize: 4)
    let batches = Array(loader.batches(epoch: 0))
    #expect(batches[0].features.shape == [4, 1])
    #expect(batches[1].features.toArray() == [104, 105])
}

private struct WordList: Dataset {
    let words: [String]
    var count: Int { words.count }
    subscript(index: Int) -> String { words[index] }
}
