import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

// Float64 finite-difference checks for every layer: gradients with respect to the inputs and to every
// parameter.

private let key = RandomKey(seed: 7)

@Test func linearGradients() {
    let layer = Linear(4, 3, key: key, dtype: .float64)
    #expect(layerGradientFailure(layer, inputs: [randomInput([2, 5, 4], seed: 1)]) { layer($0[0]) } == nil)
}

@Test func convolutionGradients() {
    let c1 = Conv1d(4, 6, kernelSize: 3, stride: 2, padding: 2, dilation: 2, groups: 2, key: key, dtype: .float64)
    #expect(layerGradientFailure(c1, inputs: [randomInput([2, 4, 9], seed: 2)]) { c1($0[0]) } == nil)
    let c2 = Conv2d(4, 6, kernelSize: [2, 3], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2,
                    key: key, dtype: .float64)
    #expect(layerGradientFailure(c2, inputs: [randomInput([2, 4, 5, 6], seed: 3)]) { c2($0[0]) } == nil)
    let t2 = ConvTranspose2d(4, 6, kernelSize: 3, stride: [2, 3], padding: 1, outputPadding: [1, 2], groups: 2,
                             key: key, dtype: .float64)
    #expect(layerGradientFailure(t2, inputs: [randomInput([1, 4, 3, 4], seed: 4)]) { t2($0[0]) } == nil)
    let dilated = ConvTranspose2d(2, 3, kernelSize: 2, stride: 2, dilation: 2, key: key, dtype: .float64)
    #expect(layerGradientFailure(dilated, inputs: [randomInput([2, 2, 3, 3], seed: 5)]) { dilated($0[0]) } == nil)
}

@Test func poolingGradients() {
    let x = randomInput([2, 2, 7, 6], seed: 6)
    let max = MaxPool2d([3, 2], stride: [2, 1], padding: 1)
    #expect(layerGradientFailure(max, inputs: [x]) { max($0[0]) } == nil)
    let avgIn = AvgPool2d(3, stride: 2, padding: 1, countIncludePad: true)
    #expect(layerGradientFailure(avgIn, inputs: [x]) { avgIn($0[0]) } == nil)
    let avgEx = AvgPool2d([2, 3], stride: [2, 1], padding: [1, 0], countIncludePad: false)
    #expect(layerGradientFailure(avgEx, inputs: [x]) { avgEx($0[0]) } == nil)
    let adaptive = AdaptiveAvgPool2d([3, 4])
    #expect(layerGradientFailure(adaptive, inputs: [x]) { adaptive($0[0]) } == nil)
    let up = AdaptiveAvgPool2d([9, 8])
    #expect(layerGradientFailure(up, inputs: [x]) { up($0[0]) } == nil)
}

@Test func normalizationGradients() {
    let bn1 = BatchNorm1d(weight: randomInput([3], seed: 10), bias: randomInput([3], seed: 11))
    #expect(layerGradientFailure(bn1, inputs: [randomInput([4, 3, 5], seed: 12)]) { bn1($0[0]) } == nil)
    let bn2 = BatchNorm2d(weight: randomInput([3], seed: 13), bias: randomInput([3], seed: 14))
    let x4 = randomInput([2, 3, 3, 4], seed: 15)
    #expect(layerGradientFailure(bn2, inputs: [x4]) { bn2($0[0]) } == nil)
    bn2.isTraining = false
    #expect(layerGradientFailure(bn2, inputs: [x4]) { bn2($0[0]) } == nil)
    let ln = LayerNorm(weight: randomInput([3, 4], seed: 16), bias: randomInput([3, 4], seed: 17))
    #expect(layerGradientFailure(ln, inputs: [randomInput([2, 3, 4], seed: 18)]) { ln($0[0]) } == nil)
    let gn = GroupNorm(2, weight: randomInput([4], seed: 19), bias: randomInput([4], seed: 20))
    #expect(layerGradientFailure(gn, inputs: [randomInput([2, 4, 3, 2], seed: 21)]) { gn($0[0]) } == nil)
}

@Test func embeddingAndDropoutGradients() {
    let index = Tensor([0, 1, 5, 5, 2, 1], shape: [2, 3])
    let plain = Embedding(weight: randomInput([6, 3], seed: 22))
    #expect(layerGradientFailure(plain, inputs: []) { _ in plain(index) } == nil)
    // The padding row is looked up as stored but gets no gradient.
    let table = Embedding(weight: randomInput([6, 3], seed: 22), paddingIndex: 1)
    #expect(table(index).toArray() == plain(index).toArray())
    table(index).sum().backward()
    #expect(table.weight.grad!.select(0, 1).abs().sum().item() == 0)
    let dropKey = RandomKey(seed: 3)
    let x = randomInput([4, 5], seed: 23)
    #expect(gradientCheckFailure([x]) { dropout($0[0], p: 0.3, training: true, key: dropKey) } == nil)
}

@Test func activationGradients() {
    let x = randomInput([3, 4], seed: 24, low: -2, high: 2)
    let evalDropout = Dropout(p: 0.5)
    evalDropout.isTraining = false
    let layers: [any Layer] = [ReLU(), LeakyReLU(negativeSlope: 0.2), ELU(alpha: 0.7), GELU(), GELU(approximate: true),
                               Sigmoid(), Tanh(), Softplus(beta: 2, threshold: 3), SiLU(), Softmax(dim: 0),
                               LogSoftmax(dim: 1), Identity(), Flatten(startDim: 0), evalDropout]
    for layer in layers {
        let failure = gradientCheckFailure([x]) { layer($0[0]) }
        #expect(failure == nil, "\(type(of: layer)): \(failure ?? "")")
    }
}

@Test func recurrentGradients() {
    let x = randomInput([2, 3, 3], seed: 25)  // batch-first [N, T, in]
    let h0 = randomInput([4, 2, 4], seed: 26), c0 = randomInput([4, 2, 4], seed: 27)
    let lstm = LSTM(3, 4, numLayers: 2, batchFirst: true, bidirectional: true, key: key, dtype: .float64)
    #expect(layerGradientFailure(lstm, inputs: [x, h0, c0]) { xs in
        let (y, s) = lstm(xs[0], initialState: (xs[1], xs[2]))
        return Tensor.cat([y.flatten(), s.h.flatten(), s.c.flatten()])
    } == nil)
    let gru = GRU(3, 4, numLayers: 2, bidirectional: true, key: key, dtype: .float64)  // time-major
    let xt = randomInput([3, 2, 3], seed: 29)  // [T, N, in]
    #expect(layerGradientFailure(gru, inputs: [xt, h0]) { xs in
        let (y, h) = gru(xs[0], initialState: xs[1])
        return Tensor.cat([y.flatten(), h.flatten()])
    } == nil)
    let rnn = RNN(3, 4, numLayers: 2, nonlinearity: .tanh, batchFirst: true, key: key, dtype: .float64)
    #expect(layerGradientFailure(rnn, inputs: [x]) { xs in rnn(xs[0]).output } == nil)
    let relu = RNN(3, 4, nonlinearity: .relu, key: key, dtype: .float64)
    #expect(layerGradientFailure(relu, inputs: [randomInput([3, 4, 3], seed: 28)]) { xs in relu(xs[0]).output } == nil)
}

@Test func attentionGradients() {
    let mha = MultiheadAttention(6, 2, batchFirst: true, key: key, dtype: .float64)
    mha.inProjBias!.value = randomInput([18], seed: 29)
    let q = randomInput([2, 3, 6], seed: 30), kv = randomInput([2, 4, 6], seed: 31)
    let padding = Tensor([false, false, true, false, false, false, false, true], shape: [2, 4])
    #expect(layerGradientFailure(mha, inputs: [q, kv]) { xs in mha(xs[0], xs[1], xs[1], keyPaddingMask: padding) } == nil)
    #expect(layerGradientFailure(mha, inputs: [q]) { xs in mha(xs[0], xs[0], xs[0], isCausal: true) } == nil)
    for normFirst in [false, true] {
        let block = TransformerEncoderLayer(dModel: 4, numHeads: 2, dimFeedforward: 6, dropout: 0, activation: .gelu,
                                            batchFirst: true, normFirst: normFirst, key: key, dtype: .float64)
        let failure = layerGradientFailure(block, inputs: [randomInput([2, 3, 4], seed: 32)]) { xs in
            block(xs[0], mask: nil, isCausal: true)
        }
        #expect(failure == nil, "normFirst \(normFirst): \(failure ?? "")")
    }
}

@Test func sequentialGradients() {
    let model = Sequential {
        Conv2d(2, 3, kernelSize: 3, padding: 1, key: key, dtype: .float64)
        Tanh()
        AvgPool2d(2)
        Flatten()
        Linear(12, 2, key: key, dtype: .float64)
    }
    #expect(layerGradientFailure(model, inputs: [randomInput([2, 2, 4, 4], seed: 33)]) { model($0[0]) } == nil)
}

@Test func lossGradients() {
    let x = randomInput([4, 3], seed: 34), t = randomInput([4, 3], seed: 35)
    let probs = randomInput([4, 3], seed: 36, low: 0.1, high: 0.9), p = randomInput([4, 3], seed: 37, low: 0.1, high: 0.9)
    let labels = Tensor([0, 2, 1, 2], shape: [4])
    let checks: [(String, [Tensor], ([Tensor]) -> Tensor)] = [
        ("mse", [x, t], { mseLoss(predictions: $0[0], targets: $0[1]) }),
        ("l1", [x, t], { l1Loss(predictions: $0[0], targets: $0[1], reduction: .sum) }),
        ("smoothL1", [x, t], { smoothL1Loss(predictions: $0[0], targets: $0[1], beta: 0.5, reduction: .none) }),
        ("huber", [x, t], { huberLoss(predictions: $0[0], targets: $0[1], delta: 0.4) }),
        ("crossEntropy", [x], { crossEntropy(logits: $0[0], targets: labels, weight: Tensor([1.0, 2, 0.5], shape: [3]),
                                             ignoreIndex: 1, labelSmoothing: 0.1) }),
        ("crossEntropyProbs", [x, p], { crossEntropy(logits: $0[0], targets: $0[1], labelSmoothing: 0.2) }),
        ("nll", [x], { nllLoss(logProbabilities: $0[0], targets: labels, reduction: .sum) }),
        ("bce", [probs, p], { binaryCrossEntropy(probabilities: $0[0], targets: $0[1]) }),
        ("bceLogits", [x, p], { binaryCrossEntropyWithLogits(logits: $0[0], targets: $0[1],
                                                            positiveWeight: Tensor([1.5, 0.5, 2], shape: [3])) }),
        ("kl", [x.logSoftmax(1), p], { klDivergence(logProbabilities: $0[0], targets: $0[1], reduction: .batchMean) }),
        ("klLog", [x, t], { klDivergence(logProbabilities: $0[0], targets: $0[1], logTarget: true) }),
    ]
    for (name, inputs, f) in checks {
        let failure = gradientCheckFailure(inputs, f)
        #expect(failure == nil, "\(name): \(failure ?? "")")
    }
}
