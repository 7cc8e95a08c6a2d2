import CTrainKitKernels
import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// Runs a one-layer float32 LSTM over `[T, N, in]` = `[7, 20, 5]`, hidden 20 (edge tiles in both the
/// gate and the batch direction), and returns the outputs, final states and every gradient.
private func lstmRun(fused: Bool) -> [Tensor] {
    let config = RecurrentConfig(inputSize: 5, hiddenSize: 20, numLayers: 1, bidirectional: false, batchFirst: false,
                                 dropout: 0)
    let params = config.initialWeights(cell: .lstm, bias: true, key: RandomKey(seed: 60), dtype: .float32)
    var leaves = [[7, 20, 5], [1, 20, 20], [1, 20, 20]].enumerated().map { k, shape -> Tensor in
        var t = randomInput(shape, seed: UInt64(61 + k)).to(.float32)
        t.requiresGrad = true
        return t
    }
    let weights = recurrentWeights(params[0], params[1], params[2], params[3])
    let r = FusedPath.$isEnabled.withValue(fused) {
        runRecurrence(.lstm, config, weights, x: leaves[0], h0: leaves[1], c0: leaves[2], training: true)
    }
    var loss = Tensor(scalar: 0)
    for (k, v) in [r.output, r.h, r.c!].enumerated() {
        loss = loss + (v * Tensor.uniform(v.shape, low: 0.5, high: 1.5, key: RandomKey(seed: UInt64(70 + k)))).sum()
    }
    loss.backward()
    leaves = leaves.map { $0.grad! }
    return [r.output.detach(), r.h.detach(), r.c!.detach()] + leaves + params.joined().map { $0.grad! }
}

/// The float32 C recurrence (packed microkernel products, vector exp/tanh) matches the step-by-step composite.
@Test func lstmKernelMatchesReferenceInFloat32() {
    let fused = lstmRun(fused: true), reference = lstmRun(fused: false)
    #expect(fused.count == reference.count)
    for (k, (a, b)) in zip(fused, reference).enumerated() {
        let failure = closenessFailure(a, b, rtol: 1e-4, atol: 1e-5)
        #expect(failure == nil, "tensor \(k): \(failure ?? "")")
    }
}

/// Each batch row runs through the same operations whichever worker takes it: one thread and several give
/// the same bits.
@Test func lstmKernelDoesNotDependOnThreadCount() {
    let threads = tk_get_num_threads()
    defer { tk_set_num_threads(threads) }
    tk_set_num_threads(1)
    let one = lstmRun(fused: true)
    tk_set_num_threads(3)
    let three = lstmRun(fused: true)
    for (a, b) in zip(one, three) { #expect(a.toArray(as: Float.self) == b.toArray(as: Float.self)) }
}
