import Foundation
import Synchronization
import Testing
import TrainKit

/// N ranks as N threads of one process: each collective waits for all and hands every rank all contributions.
/// Sums run in rank order in the element type, as MPI's do on a few ranks.
final class ThreadWorld: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var slots: [[Double]]
    private var snapshot: [[Double]] = []
    private var arrived = 0, generation = 0

    init(size: Int) {
        self.size = size
        slots = Array(repeating: [], count: size)
    }

    func exchange(rank: Int, _ values: [Double]) -> [[Double]] {
        condition.lock()
        defer { condition.unlock() }
        slots[rank] = values
        arrived += 1
        let mine = generation
        if arrived == size {
            snapshot = slots
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return snapshot
    }
}

final class ThreadRank: ProcessGroup {
    let world: ThreadWorld
    let rank: Int
    var worldSize: Int { world.size }
    init(_ world: ThreadWorld, rank: Int) {
        self.world = world
        self.rank = rank
    }

    func allReduce(_ tensor: Tensor, op: AllReduceOp) -> Tensor {
        let all = world.exchange(rank: rank, tensor.to(.float64).toArray(as: Double.self))
        let sums = all[0].indices.map { i in all.reduce(0) { $0 + $1[i] } }
        let t = Tensor(sums, shape: tensor.shape).to(tensor.dtype)
        return op == .mean ? t * (1 / Double(worldSize)) : t
    }
    func broadcast(_ tensor: Tensor, from root: Int) -> Tensor {
        Tensor(world.exchange(rank: rank, tensor.to(.float64).toArray(as: Double.self))[root], shape: tensor.shape)
            .to(tensor.dtype)
    }
    func allGather(_ tensor: Tensor) -> Tensor {
        let all = world.exchange(rank: rank, tensor.to(.float64).toArray(as: Double.self))
        return Tensor(all.flatMap { $0 }, shape: [worldSize] + tensor.shape).to(tensor.dtype)
    }
    func barrier() { _ = world.exchange(rank: rank, []) }
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {
        let all = world.exchange(rank: rank, buffer.map(Double.init))
        for i in buffer.indices { buffer[i] = all.reduce(Float(0)) { $0 + Float($1[i]) } }
    }
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        let all = world.exchange(rank: rank, Array(buffer))
        for i in buffer.indices { buffer[i] = all.reduce(0) { $0 + $1[i] } }
    }
    func abort(code: Int32) -> Never { fatalError("abort \(code)") }
}

/// Trains `smallModel` on `ranks` threads (rank r gets group r) at per-rank batch `batch`; returns each rank's
/// final weights and loss history, or the error of each rank.
private func trainOnThreads(ranks: Int, batch: Int, count: Int = 50, epochs: Int = 3,
                            configure: @escaping @Sendable (Int, Trainer) -> Void = { _, _ in })
    -> [Result<([String: [Float]], [Double]), any Error>] {
    let world = ThreadWorld(size: ranks)
    let results = Mutex([Result<([String: [Float]], [Double]), any Error>?](repeating: nil, count: ranks))
    let threads = (0..<ranks).map { rank in
        Thread {
            // Different start weights per rank: rank 0's broadcast must make them equal.
            let model = smallModel(seed: UInt64(rank == 0 ? 0 : 100 + rank))
            let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: SGD(lr: 0.3, momentum: 0.9),
                                  seed: 5, progress: .silent)
            if ranks > 1 { trainer.processGroup = ThreadRank(world, rank: rank) }
            trainer.prefetch = 0
            configure(rank, trainer)
            let result = Result {
                let history = try trainer.fit(blobs(count: count, seed: 1), epochs: epochs, batchSize: batch)
                return (weightBytes(model), history.epochs.map { $0["loss"]! })
            }
            results.withLock { $0[rank] = result }
        }
    }
    threads.forEach { $0.stackSize = 8 << 20; $0.start() }
    while results.withLock({ $0.contains { $0 == nil } }) { usleep(1000) }
    return results.withLock { $0.map { $0! } }
}

private func maxDifference(_ a: [String: [Float]], _ b: [String: [Float]]) -> Float {
    a.keys.map { k in zip(a[k]!, b[k]!).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
}

@Suite(.serialized) struct DataParallelTrainerTests {
    /// 50 rows at a global batch of 12 end with a batch of 2: on 3 ranks the shards are 1, 1 and 0 rows.
    @Test(arguments: [2, 3])
    func ranksReachTheWeightsOfOneProcess(ranks: Int) throws {
        let single = try trainOnThreads(ranks: 1, batch: 12)[0].get()
        let parallel = try trainOnThreads(ranks: ranks, batch: 12 / ranks).map { try $0.get() }
        let moved = maxDifference(single.0, weightBytes(smallModel(seed: 0)))
        #expect(moved > 0.1, "training moves the weights")
        for (rank, result) in parallel.enumerated() {
            let difference = maxDifference(single.0, result.0)
            #expect(difference < 1e-4, "rank \(rank) of \(ranks): weights differ by \(difference) (moved \(moved))")
            for (a, b) in zip(single.1, result.1) { #expect(abs(a - b) < 1e-5, "epoch losses \(single.1) / \(result.1)") }
        }
        #expect(parallel.allSatisfy { $0.0 == parallel[0].0 }, "every rank holds the same weights")
    }

    @Test func aOneRankGroupTrainsExactlyAsNoGroup() throws {
        let plain = try trainOnThreads(ranks: 1, batch: 8)[0].get()
        let grouped = try trainOnThreads(ranks: 1, batch: 8) { _, trainer in
            trainer.processGroup = SingleProcessGroup()
        }[0].get()
        #expect(plain.0 == grouped.0)
        #expect(plain.1 == grouped.1)
    }

    @Test func ranksThatDisagreeStopWithANamedError() {
        let results = trainOnThreads(ranks: 2, batch: 6) { rank, trainer in
            trainer.distributedFingerprint = rank == 0 ? "lr: 0.1" : "lr: 0.2"
        }
        for result in results {
            #expect(throws: DistributedError.self) { try result.get() }
            if case .failure(let error) = result { #expect("\(error)".contains("the ranks differ in config")) }
        }
    }
}
