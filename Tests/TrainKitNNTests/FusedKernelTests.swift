import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// A stacked bidirectional recurrence matches the step-by-step composite in float64 whichever path runs
/// (for LSTM the fused op with its hand-written BPTT; the other cells always compose): outputs, final states
/// and every gradient.
@Test(arguments: [RecurrentCell.tanh, .relu, .lstm, .gru])
func fusedRecurrenceMatchesReference(_ cell: RecurrentCell) {
    let config = RecurrentConfig(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, batchFirst: true,
                                 dropout: 0)
    let params = config.initialWeights(cell: cell, bias: true, key: RandomKey(seed: 40), dtype: .float64)
    let x = randomInput([2, 5, 3], seed: 41), h0 = randomInput([4, 2, 4], seed: 42), c0 = randomInput([4, 2, 4], seed: 43)
    func run(fused: Bool) -> (values: [Tensor], grads: [Tensor]) {
        var leaves = [x, h0, c0].map { t -> Tensor in var c = t.copied(); c.requiresGrad = true; return c }
        for p in params.joined() { p.zeroGrad() }
        let weights = recurrentWeights(params[0], params[1], params[2], params[3])
        let r = FusedPath.$isEnabled.withValue(fused) {
            runRecurrence(cell, config, weights, x: leaves[0], h0: leaves[1], c0: cell == .lstm ? leaves[2] : nil,
                          training: true)
        }
        var values = [r.output, r.h]
        if let c = r.c { values.append(c) }
        var loss = Tensor(scalar: 0, dtype: .float64)
        for (k, v) in values.enumerated() {
            loss = loss + (v * Tensor.uniform(v.shape, low: 0.5, high: 1.5, key: RandomKey(seed: UInt64(50 + k)), dtype: .float64)).sum()
        }
        loss.backward()
        if cell != .lstm { leaves.removeLast() }
        return (values.map { $0.detach() }, leaves.map { $0.grad! } + params.joined().map { $0.grad! })
    }
    let fused = run(fused: true), reference = run(fused: false)
    for (a, b) in zip(fused.values + fused.grads, reference.values + reference.grads) {
        let failure = closenessFailure(a, b, rtol: 1e-10, atol: 1e-12)
        #expect(failure == nil, "\(cell): \(failure ?? "")")
    }
    #expect(fused.grads.count == reference.grads.count)
}

/// The fused row normalisation behind layerNorm / groupNorm matches the composite in float64,
/// forward and backward, with and without the affine parameters.
@Test func fusedLayerNormMatchesReference() {
    let x = randomInput([2, 3, 4, 5], seed: 60)
    let weight = randomInput([4, 5], seed: 61), bias = randomInput([4, 5], seed: 62)
    for (w, b) in [(weight, bias), (weight, nil), (nil, nil)] as [(Tensor?, Tensor?)] {
        func run(fused: Bool) -> [Tensor] {
            var leaves = [x, w, b].compactMap { $0 }.map { t -> Tensor in var c = t.copied(); c.requiresGrad = true; return c }
            let (lw, lb) = (w == nil ? nil : leaves[1], b == nil ? nil : leaves[2])
            let y = fused ? layerNorm(leaves[0], normalizedShape: [4, 5], weight: lw, bias: lb, eps: 1e-3)
                : composedLayerNorm(leaves[0], dims: [2, 3], weight: lw, bias: lb, eps: 1e-3)
            (y * randomInput(y.shape, seed: 63)).sum().backward()
            let grads = leaves.map { $0.grad! }
            leaves.removeAll()
            return [y.detach()] + grads
        }
        for (a, r) in zip(run(fused: true), run(fused: false)) {
            let failure = closenessFailure(a, r, rtol: 1e-10, atol: 1e-12)
            #expect(failure == nil, "affine \(w != nil)/\(b != nil): \(failure ?? "")")
        }
    }
}
