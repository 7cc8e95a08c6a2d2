import Testing
import TrainKitCore
@testable import TrainKitDistributed

/// A two-rank world seen from rank 0, where rank 1 contributes `other` to every sum (ones by default).
final class FakeTwoRanks: ProcessGroup {
    var rank: Int { 0 }
    var worldSize: Int { 2 }
    var reducedSizes: [Int] = []
    var gatheredOther: (([Double]) -> [Double]) = { $0 }
    func allReduce(_ tensor: Tensor, op: AllReduceOp) -> Tensor {
        let s = tensor + tensor.onesLike()
        return op == .mean ? s * 0.5 : s
    }
    func broadcast(_ tensor: Tensor, from root: Int) -> Tensor { tensor }
    func allGather(_ tensor: Tensor) -> Tensor {
        let mine = tensor.toArray(as: Double.self)
        return Tensor(mine + gatheredOther(mine), shape: [2] + tensor.shape)
    }
    func barrier() {}
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {
        reducedSizes.append(buffer.count)
        for i in buffer.indices { buffer[i] += 1 }
    }
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        reducedSizes.append(buffer.count)
        for i in buffer.indices { buffer[i] += 1 }
    }
    func abort(code: Int32) -> Never { fatalError("abort \(code)") }
}

@Test func singleProcessGroupIsTheIdentity() {
    let g = SingleProcessGroup()
    let t = Tensor([1.5, -2, 3] as [Float], shape: [3])
    #expect(g.rank == 0 && g.worldSize == 1 && g.isRankZero)
    #expect(g.allReduce(t, op: .sum).toArray() == [1.5, -2, 3])
    #expect(g.allReduce(t, op: .mean).toArray() == [1.5, -2, 3])
    #expect(g.broadcast(t, from: 0).toArray() == [1.5, -2, 3])
    let gathered = g.allGather(Tensor([1, 2, 3, 4] as [Double], shape: [2, 2]))
    #expect(gathered.shape == [1, 2, 2])
    #expect(gathered.toArray(as: Double.self) == [1, 2, 3, 4])
    #expect(g.allReduceSum([2.5, 4]) == [2.5, 4])
}

@Test func bucketsFollowReverseParameterOrderCapacityAndDtype() {
    let f: DType = .float32
    // 4 bytes per float32 element: 400 + 400 > 600, so parameters 2 and 1 share, 0 goes alone.
    #expect(GradientBuckets.assign(sizes: [100, 100, 4], dtypes: [f, f, f], capacity: 600) == [[2, 1], [0]])
    #expect(GradientBuckets.assign(sizes: [100, 100, 4], dtypes: [f, f, f], capacity: 1 << 20) == [[2, 1, 0]])
    // An oversized parameter gets its own bucket; a dtype change starts a new one.
    #expect(GradientBuckets.assign(sizes: [1, 1000, 1], dtypes: [f, f, f], capacity: 16) == [[2], [1], [0]])
    #expect(GradientBuckets.assign(sizes: [1, 1, 1], dtypes: [f, .float64, .float64], capacity: 1 << 20) == [[2, 1], [0]])
    #expect(GradientBuckets.assign(sizes: [], dtypes: [], capacity: 16) == [])
}

@Test func reducerAveragesEveryBucketInOrderAndFillsUnusedParameters() {
    let p1 = Parameter(Tensor([1, 2, 3] as [Float], shape: [3]))
    let p2 = Parameter(Tensor([4, 5] as [Float], shape: [2]))
    let unused = Parameter(Tensor([7] as [Float], shape: [1]))
    let group = FakeTwoRanks()
    let reducer = GradientReducer(parameters: [p1, p2, unused], group: group, bucketCapacity: 4)
    #expect(reducer.buckets == [[2], [1], [0]])

    // Unarmed (an accumulation step): no reduction.
    ((p1.value * p1.value).sum() + (p2.value * 3).sum()).backward()
    #expect(group.reducedSizes.isEmpty)
    #expect(p1.grad!.toArray() == [2, 4, 6])
    for p in [p1, p2, unused] { p.zeroGrad() }

    reducer.arm()
    ((p1.value * p1.value).sum() + (p2.value * 3).sum()).backward()
    // The unused parameter's bucket comes first, so nothing may go out before finish().
    #expect(group.reducedSizes.isEmpty)
    reducer.finish()
    #expect(group.reducedSizes == [1, 2, 3])
    // (this rank's gradient + the other rank's ones) / 2
    #expect(p1.grad!.toArray() == [1.5, 2.5, 3.5])
    #expect(p2.grad!.toArray() == [2, 2])
    #expect(unused.grad!.toArray() == [0.5])
    #expect(!reducer.isArmed)

    // Buckets whose parameters are all ready go out during backward.
    let early = GradientReducer(parameters: [p1, p2], group: group, bucketCapacity: 4)
    reducer.remove()
    group.reducedSizes = []
    for p in [p1, p2] { p.zeroGrad() }
    early.arm()
    ((p1.value * p1.value).sum() + (p2.value * 3).sum()).backward()
    #expect(group.reducedSizes == [2, 3])
    early.finish()
    #expect(group.reducedSizes == [2, 3])
}

@Test func agreementNamesTheFirstItemThatDiffers() throws {
    let group = FakeTwoRanks()
    let items = [(what: "parameter shapes", value: "[3, 2]"), (what: "config", value: "epochs: 2")]
    try RankAgreement.check(items, group: group)
    group.gatheredOther = { mine in mine.enumerated().map { $0.offset == 2 ? $0.element + 1 : $0.element } }
    #expect(throws: DistributedError.self) { try RankAgreement.check(items, group: group) }
    do {
        try RankAgreement.check(items, group: group)
    } catch let DistributedError.ranksDisagree(what, values) {
        #expect(what == "config")
        #expect(values[0] == "epochs: 2")
        #expect(values[1].hasPrefix("hash "))
    }
}

@Test func launchEnvironmentReadsEachLauncher() {
    #expect(LaunchEnvironment([:]) == LaunchEnvironment(rank: 0, worldSize: 1, source: nil))
    #expect(!LaunchEnvironment([:]).isDistributed)
    let ompi = LaunchEnvironment(["OMPI_COMM_WORLD_RANK": "2", "OMPI_COMM_WORLD_SIZE": "3"])
    #expect(ompi == LaunchEnvironment(rank: 2, worldSize: 3, source: "OMPI_COMM_WORLD_SIZE"))
    #expect(ompi.isDistributed)
    #expect(LaunchEnvironment(["PMI_RANK": "1", "PMI_SIZE": "4"]).worldSize == 4)
    let slurm = LaunchEnvironment(["SLURM_PROCID": "5", "SLURM_NTASKS": "8"])
    #expect(slurm == LaunchEnvironment(rank: 5, worldSize: 8, source: "SLURM_NTASKS"))
    // A batch script's own step is one task: not distributed.
    #expect(!LaunchEnvironment(["SLURM_PROCID": "0", "SLURM_STEP_NUM_TASKS": "1", "SLURM_NTASKS": "4"]).isDistributed)
    #expect(!LaunchEnvironment(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "1"]).isDistributed)
}

@Test func severalRanksWithoutLibmpiIsANamedError() throws {
    let launch = LaunchEnvironment(rank: 1, worldSize: 2, source: "OMPI_COMM_WORLD_SIZE")
    #expect(throws: DistributedError.self) {
        _ = try ProcessGroups.fromEnvironment(launch, library: "/nonexistent/libmpi.so.40")
    }
    do {
        _ = try MPIProcessGroup(library: "/nonexistent/libmpi.so.40", launch: launch)
    } catch let DistributedError.mpiLibraryNotFound(worldSize, variable, detail) {
        #expect(worldSize == 2)
        #expect(variable == "OMPI_COMM_WORLD_SIZE")
        #expect(detail.contains("/nonexistent/libmpi.so.40"))
    }
    // One process never needs MPI.
    #expect(try ProcessGroups.fromEnvironment(LaunchEnvironment([:])) is SingleProcessGroup)
}

@Test func theLaunchersOwnMPIIsTriedFirst() {
    let hydra = LaunchEnvironment(["PMI_RANK": "0", "PMI_SIZE": "2"])
    let ompi = LaunchEnvironment(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "2"])
    #expect(MPIProcessGroup.candidates(for: hydra, environment: [:]).first == "libmpi.so.12")
    #expect(MPIProcessGroup.candidates(for: hydra, environment: [:]).firstIndex(of: "libmpich.so.12")!
        < MPIProcessGroup.candidates(for: hydra, environment: [:]).firstIndex(of: "libmpi.so.40")!)
    #expect(MPIProcessGroup.candidates(for: ompi, environment: [:]).first == "libmpi.so.40")
    #expect(MPIProcessGroup.candidates(for: ompi, environment: ["TRAINKIT_MPI_LIBRARY": "/opt/mpi/lib/libmpi.so"])
        == ["/opt/mpi/lib/libmpi.so"])
}
