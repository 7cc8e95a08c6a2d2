import Foundation
import CTrainKitKernels
import TrainKit

/// `trainkit-bench ddp` and `trainkit-bench allreduce`: data-parallel training and the all-reduce itself, run on
/// every rank under `mpirun -np N` (one process: N = 1), for `scripts/bench-ddp` beside PyTorch DDP and a plain
/// MPI C program.
///
///     trainkit-bench ddp --workload mlp|lenet [--global-batch B] [--steps S] [--warmup W] [--threads T]
///     trainkit-bench allreduce --bytes N [--reps R]
///
/// `ddp` trains W1 (`mlp`, SGD with momentum, global batch 128) or W3 (`lenet`, Adam, global batch 64) as
/// `NNWorkloads` builds them (its models and batch pools), each rank on its own batches of `B / N` rows, gradients averaged by
/// `GradientReducer` (bucketed, all-reduced from the gradient-ready hooks while backward runs) before every
/// optimizer step; parameters start equal (rank 0's are broadcast). Rank 0 prints the global samples per second
/// over the timed steps (barriers before and after). `allreduce` times an in-place float sum of N bytes.
enum DistributedRuns {
    static func run(_ command: String, _ arguments: [String]) {
        var options: [String: String] = [:]
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--"), let value = rest.popFirst() else { fail(command, "expected --name value, got \(flag)") }
            options[String(flag.dropFirst(2))] = value
        }
        let threads = Int(options["threads"] ?? "1") ?? 1
        for variable in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"] { setenv(variable, "\(threads)", 1) }
        tk_set_num_threads(Int32(threads))
        let group: any ProcessGroup
        do { group = try ProcessGroups.fromEnvironment() } catch { fail(command, "\(error)") }
        switch command {
        case "ddp": ddp(options, group: group, threads: threads)
        default: allReduce(options, group: group)
        }
        (group as? MPIProcessGroup)?.finalize()
    }

    static func fail(_ command: String, _ message: String) -> Never {
        printError("trainkit-bench \(command): \(message)")
        exit(2)
    }

    static func ddp(_ options: [String: String], group: any ProcessGroup, threads: Int) {
        let workload = options["workload"] ?? "mlp"
        let globalBatch = Int(options["global-batch"] ?? (workload == "lenet" ? "64" : "128")) ?? 128
        let steps = Int(options["steps"] ?? "200") ?? 200, warmup = Int(options["warmup"] ?? "10") ?? 10
        guard globalBatch % group.worldSize == 0 else {
            fail("ddp", "--global-batch \(globalBatch) does not divide over \(group.worldSize) ranks")
        }
        let batch = globalBatch / group.worldSize
        let (model, optimizer): (any Layer, any OptimizerProtocol)
        let data: [(Tensor, Tensor)]
        // Each rank's batches come from its own keys: a shard of the global batch.
        let seed = 1234 + UInt64(group.rank)
        switch workload {
        case "mlp":
            model = NNWorkloads.mlpModel()
            optimizer = Optimizer(SGD(lr: 0.01, momentum: 0.9), parameters: model.parameters)
            data = NNWorkloads.batches(16, seed: seed) { Tensor.uniform([batch, 784], key: $0) } labels: {
                NNWorkloads.labels(batch, 10, $0)
            }
        case "lenet":
            model = NNWorkloads.lenetModel()
            optimizer = Optimizer(Adam(lr: 1e-3), parameters: model.parameters)
            data = NNWorkloads.batches(16, seed: seed) { Tensor.uniform([batch, 1, 28, 28], key: $0) } labels: {
                NNWorkloads.labels(batch, 10, $0)
            }
        default:
            fail("ddp", "--workload must be mlp or lenet, got \(workload)")
        }
        for parameter in model.parameters { parameter.value = group.broadcast(parameter.detachedValue, from: 0) }
        let reducer = group.worldSize > 1 ? GradientReducer(parameters: model.parameters, group: group) : nil
        func step(_ index: Int) {
            let (x, y) = data[index % data.count]
            reducer?.arm()
            crossEntropy(logits: model(x), targets: y).backward()
            reducer?.finish()
            optimizer.step()
            optimizer.zeroGrad()
        }
        for i in 0..<warmup { step(i) }
        group.barrier()
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<steps { step(warmup + i) }
        let checksum = model.parameters.reduce(0.0) { $0 + $1.detachedValue.abs().sum().item() }
        group.barrier()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard group.rank == 0 else { return }
        print(jsonLine([
            ("framework", .string("trainkit")), ("workload", .string(workload)), ("ranks", .int(group.worldSize)),
            ("threads_per_rank", .int(threads)), ("global_batch", .int(globalBatch)), ("steps", .int(steps)),
            ("seconds", .number(seconds)), ("samples_per_s", .number(Double(steps * globalBatch) / seconds)),
            ("checksum", .number(checksum)),
        ]))
    }

    static func allReduce(_ options: [String: String], group: any ProcessGroup) {
        let bytes = Int(options["bytes"] ?? "1048576") ?? 1_048_576, reps = Int(options["reps"] ?? "20") ?? 20
        let count = Swift.max(bytes / 4, 1)
        var buffer = [Float](repeating: 1, count: count)
        buffer.withUnsafeMutableBufferPointer { pointer in
            for _ in 0..<3 { group.allReduceSum(pointer) }
            group.barrier()
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<reps { group.allReduceSum(pointer) }
            group.barrier()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(reps)
            guard group.rank == 0 else { return }
            print(jsonLine([
                ("framework", .string("trainkit")), ("workload", .string("allreduce")), ("ranks", .int(group.worldSize)),
                ("bytes", .int(count * 4)), ("seconds_per_op", .number(seconds)),
                ("gb_per_s", .number(Double(count * 4) / seconds / 1e9)),
            ]))
        }
    }
}
