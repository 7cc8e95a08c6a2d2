import Testing
import TrainKitCore
import TrainKitData

/// A dataset whose label is its index, so batches show the order.
private func indexDataset(_ n: Int) -> TensorDataset {
    TensorDataset(features: Tensor((0..<n).map(Float.init), shape: [n, 1]), labels: Tensor(Array(0..<n)))
}

@Test(arguments: [1, 2, 3, 4, 7])
func shardsTileEachBatchInRankOrder(ranks: Int) {
    for rows in 0...20 {
        let batch = 5..<(5 + rows)
        let slices = (0..<ranks).map { DataShard(rank: $0, count: ranks).slice(of: batch) }
        #expect(slices.flatMap { Array($0) } == Array(batch), "rows \(rows), ranks \(ranks)")
        let sizes = slices.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        #expect(sizes == sizes.sorted(by: >), "larger slices come first")
    }
    #expect(DataShard(rank: 1, count: 3).slice(of: 0..<10) == 4..<7)
}

/// N sharded loaders at global batch B·N read, batch by batch, exactly what one loader at B·N reads.
@Test(arguments: [2, 3])
func shardedLoadersTogetherReadTheGlobalOrder(ranks: Int) {
    let data = indexDataset(29)
    let global = DataLoader(data, batchSize: 4 * ranks, shuffle: true, seed: 7)
    let shards = (0..<ranks).map {
        DataLoader(data, batchSize: 4 * ranks, shuffle: true, seed: 7, shard: DataShard(rank: $0, count: ranks))
    }
    for epoch in 0..<3 {
        let whole = global.batches(epoch: epoch).map { $0.labels.toArray(as: Int64.self) }
        let parts = shards.map { $0.batches(epoch: epoch).map { $0.labels.toArray(as: Int64.self) } }
        #expect(parts.allSatisfy { $0.count == whole.count })
        for b in whole.indices {
            #expect(parts.flatMap { $0[b] } == whole[b], "epoch \(epoch) batch \(b)")
            #expect(global.globalBatchCount(b) == whole[b].count)
        }
        #expect(parts[0][0].count == 4)
    }
}
