import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

// Every op with a fused kernel keeps a composed path of primitives, so a backend with only the primitives
// runs every model. Each test runs one op family with the CPU's fused kernels, then composed (fused kernels
// switched off with `FusedPath`) on the CPU and on the reference device, and compares outputs and the
// gradient of every input in float64. Families without a fused kernel (GRU, plain RNN, embedding, pooling)
// check that the composed path keeps every tensor on its inputs' device.

/// Copies of `inputs` on `device` (float ones require a gradient) go through `body` with fused kernels on or
/// off; returns the outputs and the gradients of the float inputs for `L = Σₖ Σ outₖ ⊙ wₖ` (fixed random
/// `wₖ`), all moved to the CPU.
private func outputsAndGradients(_ inputs: [Tensor], device: Device, fused: Bool,
                                 _ body: ([Tensor]) -> [Tensor]) -> [Tensor] {
    FusedPath.$isEnabled.withValue(fused) {
        let leaves = inputs.map { t -> Tensor in
            var leaf = t.to(device: device).detach()
            if leaf.dtype.isFloatingPoint { leaf.requiresGrad = true }
            return leaf
        }
        let outputs = body(leaves)
        var loss = Tensor.zeros([], dtype: .float64, device: device)
        for (k, y) in outputs.enumerated() {
            let w = Tensor.uniform(y.shape, low: 0.5, high: 1.5, key: RandomKey(seed: UInt64(300 + k)),
                                   dtype: .float64, device: device)
            loss = loss + (y * w).sum()
        }
        loss.backward()
        let gradients = leaves.filter(\.requiresGrad).map { $0.grad! }
        return (outputs.map { $0.detach() } + gradients).map { $0.to(device: .cpu) }
    }
}

/// Runs `body` fused on the CPU and composed on `device`, and expects the same outputs and gradients.
private func expectFusedMatchesComposed(_ label: String, on device: Device, _ inputs: [Tensor],
                                        _ body: ([Tensor]) -> [Tensor]) {
    let fused = outputsAndGradients(inputs, device: .cpu, fused: true, body)
    let composed = outputsAndGradients(inputs, device: device, fused: false, body)
    #expect(fused.count == composed.count, "\(label): \(fused.count) tensors against \(composed.count)")
    for (k, (a, b)) in zip(fused, composed).enumerated() {
        let failure = closenessFailure(b, a, rtol: 1e-10, atol: 1e-12)
        #expect(failure == nil, "\(label), tensor \(k) on \(device): \(failure ?? "")")
    }
}

private let devices: [Device] = [.cpu, .reference]

@Test(arguments: devices)
func convolutionWithReluFusedMatchesComposed(_ device: Device) {
    let x = randomInput([2, 3, 7, 6], seed: 100), w = randomInput([4, 3, 3, 2], seed: 101)
    let b = randomInput([4], seed: 102)
    for relu in [false, true] {
        expectFusedMatchesComposed("conv2d relu \(relu)", on: device, [x, w, b]) { t in
            [conv2d(t[0], weight: t[1], bias: t[2], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 1,
                    relu: relu)]
        }
    }
    expectFusedMatchesComposed("conv2d without bias", on: device, [x, w]) { t in
        [conv2d(t[0], weight: t[1], bias: nil, stride: 1, padding: 1, dilation: 1, groups: 1, relu: true)]
    }
}

@Test(arguments: devices)
func layerAndGroupNormFusedMatchComposed(_ device: Device) {
    let x = randomInput([2, 4, 3, 5], seed: 110)
    let w = randomInput([3, 5], seed: 111), b = randomInput([3, 5], seed: 112)
    expectFusedMatchesComposed("layerNorm", on: device, [x, w, b]) { t in
        [layerNorm(t[0], normalizedShape: [3, 5], weight: t[1], bias: t[2], eps: 1e-3)]
    }
    expectFusedMatchesComposed("layerNorm without affine", on: device, [x]) { t in
        [layerNorm(t[0], normalizedShape: [5])]
    }
    let gw = randomInput([4], seed: 113), gb = randomInput([4], seed: 114)
    expectFusedMatchesComposed("groupNorm", on: device, [x, gw, gb]) { t in
        [groupNorm(t[0], numGroups: 2, weight: t[1], bias: t[2])]
    }
}

/// A two-layer bidirectional recurrence: the input, both initial states and every weight are inputs.
@Test(arguments: [RecurrentCell.lstm, .gru, .tanh, .relu], devices)
func recurrenceFusedMatchesComposed(_ cell: RecurrentCell, _ device: Device) {
    let config = RecurrentConfig(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, batchFirst: true,
                                 dropout: 0)
    let params = config.initialWeights(cell: cell, bias: true, key: RandomKey(seed: 120), dtype: .float64)
    let states = [randomInput([4, 2, 4], seed: 121), randomInput([4, 2, 4], seed: 122)]
    let inputs = [randomInput([2, 5, 3], seed: 123)] + states + params.joined().map(\.detachedValue)
    let count = config.numLayers * config.directions
    expectFusedMatchesComposed("\(cell)", on: device, inputs) { t in
        let weights = RecurrentWeights(ih: Array(t[3..<(3 + count)]), hh: Array(t[(3 + count)..<(3 + 2 * count)]),
                                       biasIH: Array(t[(3 + 2 * count)..<(3 + 3 * count)]),
                                       biasHH: Array(t[(3 + 3 * count)...]))
        let r = runRecurrence(cell, config, weights, x: t[0], h0: t[1], c0: cell == .lstm ? t[2] : nil,
                              training: true)
        // GRU and the plain RNN have no cell state: c0 is an input without a gradient, so add it with weight 0.
        return [r.output, r.h, r.c ?? t[2] * 0]
    }
}

@Test(arguments: devices)
func embeddingComposedKeepsPaddingRowWithoutGradient(_ device: Device) {
    let weight = randomInput([5, 3], seed: 130)
    expectFusedMatchesComposed("embedding", on: device, [weight]) { t in
        let index = Tensor([1, 4, 1, 0, 2, 4], shape: [2, 3], device: t[0].device)
        return [embedding(index, weight: t[0], paddingIndex: -1)]
    }
    // Row 4 (paddingIndex -1) is looked up twice yet gets no gradient; row 1 gets two.
    var w = weight.to(device: device)
    w.requiresGrad = true
    let index = Tensor([1, 4, 1, 0, 2, 4], shape: [2, 3], device: device)
    let y = embedding(index, weight: w, paddingIndex: -1)
    #expect(y.shape == [2, 3, 3] && y.device == device)
    y.sum().backward()
    #expect(w.grad!.sum(1).toArray(as: Double.self) == [3, 6, 3, 0, 0])
    #expect(y.toArray(as: Double.self) == weight.indexSelect(0, Tensor([1, 4, 1, 0, 2, 4])).toArray(as: Double.self))
}

@Test(arguments: devices)
func poolingComposedMatchesOnEveryDevice(_ device: Device) {
    let x = randomInput([2, 3, 7, 6], seed: 140)
    expectFusedMatchesComposed("pooling", on: device, [x]) { t in
        [maxPool2d(t[0], kernelSize: [3, 2], stride: [2, 1], padding: 1),
         avgPool2d(t[0], kernelSize: 3, stride: 2, padding: 1, countIncludePad: true),
         avgPool2d(t[0], kernelSize: [2, 3], stride: [2, 1], padding: [1, 0], countIncludePad: false),
         adaptiveAvgPool2d(t[0], outputSize: [3, 4]), adaptiveAvgPool2d(t[0], outputSize: [9, 8])]
    }
}

/// Average pooling by hand: a 3×3 image, 2×2 windows, stride 1, one pixel of padding.
@Test func averagePoolingMatchesHandComputedWindows() {
    // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]; the top-left window with padding holds only x[0][0] = 1.
    let x = Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9] as [Double], shape: [1, 1, 3, 3])
    let included = avgPool2d(x, kernelSize: 2, stride: 1, padding: 1, countIncludePad: true)
    let excluded = avgPool2d(x, kernelSize: 2, stride: 1, padding: 1, countIncludePad: false)
    #expect(included.shape == [1, 1, 4, 4])
    // Top row of windows: {1}, {1, 2}, {2, 3}, {3}; divided by 4, or by how many pixels each holds.
    #expect(included.toArray(as: Double.self).prefix(4) == [0.25, 0.75, 1.25, 0.75])
    #expect(excluded.toArray(as: Double.self).prefix(4) == [1, 1.5, 2.5, 3])
    // Adaptive 3 → 2: rows [0, 2) and [1, 3), so the cell (0, 0) averages 1, 2, 4, 5.
    #expect(adaptiveAvgPool2d(x, outputSize: 2).toArray(as: Double.self) == [3, 4, 6, 7])
}

/// Ops that make tensors of their own (initial states, masks, dropout masks, constants) make them on their
/// inputs' device: run on the reference device while the default stays elsewhere, nothing mixes devices.
@Test func opsMakeTheirTensorsOnTheInputDevice() {
    let device = Device.reference
    let x = randomInput([2, 5, 3], seed: 150).to(device: device)
    let config = RecurrentConfig(inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: true, batchFirst: true,
                                 dropout: 0)
    let p = config.initialWeights(cell: .lstm, bias: true, key: RandomKey(seed: 151), dtype: .float64)
        .map { $0.map { $0.detachedValue.to(device: device) } }
    for fused in [true, false] {
        let r = FusedPath.$isEnabled.withValue(fused) {
            runRecurrence(.lstm, config, RecurrentWeights(ih: p[0], hh: p[1], biasIH: p[2], biasHH: p[3]), x: x,
                          h0: nil, c0: nil, training: true)
        }
        #expect(r.output.device == device && r.h.device == device && r.c?.device == device)
    }
    let q = randomInput([2, 4, 3], seed: 152).to(device: device)
    let mask = Tensor([false, true, false, false], shape: [1, 4], device: device)
    let attended = scaledDotProductAttention(query: q, key: q, value: q, attentionMask: mask, isCausal: true)
    #expect(attended.device == device)
    #expect(dropout(q, p: 0.5, key: RandomKey(seed: 153)).device == device)
    let logp = q.logSoftmax(-1), targets = q.softmax(-1)
    #expect(klDivergence(logProbabilities: logp, targets: targets).device == device)
    let image = randomInput([1, 2, 5, 5], seed: 154).to(device: device)
    #expect(avgPool2d(image, kernelSize: 2, countIncludePad: false).device == device)
    #expect(adaptiveAvgPool2d(image, outputSize: 2).device == device)
}
