import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

private final class Block: Layer {
    let moduleState = ModuleState()
    let fc1: Linear
    let fc2: Linear
    init(_ d: Int, key: RandomKey) {
        let keys = key.split(2)
        fc1 = Linear(d, d, key: keys[0])
        fc2 = Linear(d, d, bias: false, key: keys[1])
    }
    func callAsFunction(_ x: Tensor) -> Tensor { fc2(fc1(x).relu()) }
}

private final class Encoder: Module {
    let moduleState = ModuleState()
    let layers: [Block]
    let norm: LayerNorm?
    init(key: RandomKey) {
        layers = key.split(3).map { Block(4, key: $0) }
        norm = nil
    }
}

private final class Model: Layer {
    let moduleState = ModuleState()
    let encoder: Encoder
    let heads: [String: Linear]
    let scale = Parameter(Tensor([1.0 as Float], shape: [1]))
    let notes: [Int] = [1, 2, 3]
    init(key: RandomKey) {
        let keys = key.split(3)
        encoder = Encoder(key: keys[0])
        heads = ["b": Linear(4, 1, key: keys[1]), "a": Linear(4, 2, key: keys[2])]
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        var y = x
        for block in encoder.layers { y = block(y) }
        return heads["a"]!(y) * scale.value
    }
}

/// Superclass properties come first.
private class BaseModule: Module {
    let moduleState = ModuleState()
    let first = Parameter(Tensor.zeros([2]))
}
private final class DerivedModule: BaseModule {
    let second = Linear(2, 2)
}

@Test func reflectionNamesNestedArraysDictionariesAndSuperclasses() {
    let model = Model(key: RandomKey(seed: 1))
    let names = model.namedParameters.map(\.name)
    // PyTorch's order: module by module, parents first, each module's own parameters in declaration order.
    #expect(names == [
        "scale", "encoder.layers.0.fc1.weight", "encoder.layers.0.fc1.bias", "encoder.layers.0.fc2.weight",
        "encoder.layers.1.fc1.weight", "encoder.layers.1.fc1.bias", "encoder.layers.1.fc2.weight",
        "encoder.layers.2.fc1.weight", "encoder.layers.2.fc1.bias", "encoder.layers.2.fc2.weight",
        "heads.a.weight", "heads.a.bias", "heads.b.weight", "heads.b.bias",
    ])
    #expect(model.parameterCount == 3 * (16 + 4 + 16) + 8 + 2 + 4 + 1 + 1)
    #expect(model.encoder.layers[2].fc1.path == "encoder.layers.2.fc1")
    #expect(DerivedModule().namedParameters.map(\.name) == ["first", "second.weight", "second.bias"])
}

@Test func sequentialNamesLayersByPosition() {
    let model = Sequential {
        Linear(4, 3)
        ReLU()
        Sequential {
            Linear(3, 2)
            Linear(2, 2, bias: false)
        }
    }
    #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight"])
    #expect(model.stateDictKeys == ["0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight"])
    #expect(model.namedModules.map(\.name) == ["", "0", "1", "2", "2.0", "2.1"])
    #expect(model(Tensor.zeros([5, 4])).shape == [5, 2])
    let withControlFlow = Sequential {
        for _ in 0..<2 { Linear(2, 2) }
        if Bool(true) { Tanh() } else { ReLU() }
    }
    #expect(withControlFlow.count == 3)
    // One instance at two positions is one set of parameters.
    let shared = Linear(2, 2)
    #expect(Sequential([shared, ReLU(), shared]).parameters.count == 2)
}

@Test func shapeErrorsNameThePathAndShapes() {
    let model = Sequential {
        Linear(784, 100)
        ReLU()
        Sequential { Linear(100, 10) }
    }
    let inner = (model[2] as! Sequential)[0]
    #expect(inner.inputShapeMessage(expected: "[*, 100]", got: [32, 7]) == "2.0 (Linear): expected input [*, 100], got [32, 7]")
    let deep = Model(key: RandomKey(seed: 2))
    _ = deep.parameters
    #expect(deep.encoder.layers[1].fc1.pathDescription == "encoder.layers.1.fc1 (Linear)")
    #expect(Linear(3, 3).pathDescription == "Linear")
}

@Test func wrongInputShapeStopsWithLayerPath() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let model = Sequential {
            ReLU()
            Sequential { Linear(784, 10) }
        }
        _ = model(Tensor.zeros([32, 100]))
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("1.0 (Linear): expected input [*, 784], got [32, 100]"), "\(message)")
}

@Test func stateDictRoundTripGivesIdenticalOutputs() throws {
    func makeModel(_ seed: UInt64) -> Sequential {
        let keys = RandomKey(seed: seed).split(3)
        return Sequential {
            Conv2d(1, 3, kernelSize: 3, padding: 1, key: keys[0])
            BatchNorm2d(3)
            ReLU()
            MaxPool2d(2)
            Flatten()
            Linear(12, 4, key: keys[1])
            LayerNorm(4)
        }
    }
    let source = makeModel(1)
    let x = Tensor.normal([2, 1, 4, 4], key: RandomKey(seed: 9))
    _ = source(x)  // training step: running statistics move away from their start
    source.isTraining = false
    let state = source.stateDict()
    #expect(state.keys.sorted() == [
        "0.bias", "0.weight", "1.bias", "1.numBatchesTracked", "1.runningMean", "1.runningVar", "1.weight",
        "5.bias", "5.weight", "6.bias", "6.weight",
    ])
    #expect(state["1.numBatchesTracked"]!.item() == 1)
    let fresh = makeModel(2)
    fresh.isTraining = false
    #expect(fresh(x).toArray() != source(x).toArray())
    try fresh.load(stateDict: state)
    #expect(fresh(x).toArray() == source(x).toArray())

    let lstm = LSTM(3, 4, numLayers: 2, bidirectional: true, key: RandomKey(seed: 3))
    let lstmCopy = LSTM(3, 4, numLayers: 2, bidirectional: true, key: RandomKey(seed: 4))
    try lstmCopy.load(stateDict: lstm.stateDict())
    let seq = Tensor.normal([5, 2, 3], key: RandomKey(seed: 5))
    #expect(lstmCopy(seq).output.toArray() == lstm(seq).output.toArray())
    #expect(lstm.stateDictKeys.prefix(3) == ["weightIH.0", "weightIH.1", "weightIH.2"])
}

@Test func loadErrorsNameTheKeyAndChangeNothing() {
    let model = Sequential { Linear(3, 2); ReLU(); Linear(2, 1) }
    let before = model.stateDict()
    var missing = before
    missing["2.bias"] = nil
    #expect(throws: StateDictError.missingKey("2.bias")) { try model.load(stateDict: missing) }
    var extra = before
    extra["3.weight"] = Tensor.zeros([1])
    #expect(throws: StateDictError.unexpectedKey("3.weight")) { try model.load(stateDict: extra) }
    var misshaped = before.mapValues { $0 * 0 }
    misshaped["0.weight"] = Tensor.zeros([2, 4])
    #expect(throws: StateDictError.shapeMismatch(key: "0.weight", expected: [2, 3], got: [2, 4])) {
        try model.load(stateDict: misshaped)
    }
    #expect(model.stateDict()["2.weight"]!.toArray() == before["2.weight"]!.toArray())
    #expect("\(StateDictError.missingKey("2.bias"))".contains("'2.bias'"))
    // Non-strict loading skips missing keys.
    #expect(throws: Never.self) { try model.load(stateDict: missing, strict: false) }
}

@Test func trainAndEvalModeSwitchDropoutAndBatchNorm() {
    let model = Sequential {
        Sequential { Dropout(p: 0.5, key: RandomKey(seed: 1)) }
        BatchNorm1d(4)
    }
    let dropoutLayer = (model[0] as! Sequential)[0]
    let x = Tensor.normal([64, 4], key: RandomKey(seed: 2)) + 3
    #expect(dropoutLayer.isTraining)
    let dropped = dropoutLayer(x).toArray()
    let zeros = dropped.filter { $0 == 0 }.count
    #expect(zeros > 64 && zeros < 192)  // about half of 256
    let kept = zip(dropped, x.toArray()).filter { $0.0 != 0 }
    #expect(kept.allSatisfy { abs($0.0 - 2 * $0.1) < 1e-5 })
    let trainOut = model(x)
    model.isTraining = false
    #expect(!dropoutLayer.isTraining && !model[1].isTraining)
    #expect(dropoutLayer(x).toArray() == x.toArray())
    // Eval: BatchNorm uses running stats (moved 10% from 0/1 towards the batch), unlike training.
    let bn = model[1] as! BatchNorm1d
    let evalOut = bn(x)
    #expect(closenessFailure(trainOut.mean([0]), Tensor.zeros([4]), rtol: 0, atol: 1e-5) == nil)
    #expect(evalOut.mean().item() > 1)
    let mean = bn.runningMean!.value, variance = bn.runningVar!.value
    let expected = (x - mean) / (variance + 1e-5).sqrt()
    #expect(closenessFailure(evalOut, expected, rtol: 1e-5, atol: 1e-5) == nil)
    model.isTraining = true
    #expect(dropoutLayer.isTraining && bn.isTraining)
}

@Test func batchNormWithoutMomentumKeepsACumulativeAverage() {
    let bn = BatchNorm1d(2, momentum: nil)
    let a = Tensor([1, 2, 3, 6] as [Float], shape: [2, 2]), b = Tensor([5, 0, 7, 2] as [Float], shape: [2, 2])
    _ = bn(a)
    _ = bn(b)
    // Means (2, 4) then (6, 1): the cumulative average is (4, 2.5); unbiased variances (2, 8) then (2, 2).
    #expect(closenessFailure(bn.runningMean!.value, Tensor([4, 2.5] as [Float], shape: [2]), rtol: 1e-6, atol: 1e-6) == nil)
    #expect(closenessFailure(bn.runningVar!.value, Tensor([2, 5] as [Float], shape: [2]), rtol: 1e-6, atol: 1e-6) == nil)
    #expect(bn.numBatchesTracked!.value.item() == 2)
}

@Test func frozenParametersGetNoGradient() {
    let model = Model(key: RandomKey(seed: 3))
    model.encoder.freeze()
    #expect(model.trainableParameters.count == 5)
    let x = Tensor.normal([2, 4], key: RandomKey(seed: 4))
    model(x).sum().backward()
    for (name, p) in model.namedParameters {
        if name.hasPrefix("encoder") {
            #expect(p.grad == nil, "\(name) is frozen")
        } else if name != "heads.b.weight" && name != "heads.b.bias" {
            #expect(p.grad != nil, "\(name) should have a gradient")
        }
    }
    model.unfreeze()
    #expect(model.trainableParameters.count == model.parameters.count)
    model.zeroGrad()
    #expect(model.parameters.allSatisfy { $0.grad == nil })
}

@Test func layersMatchPyTorchShapesAndDefaults() {
    let key = RandomKey(seed: 5)
    let lenet = Sequential {
        Conv2d(1, 6, kernelSize: 5, padding: 2, key: key); ReLU(); MaxPool2d(2)
        Flatten(); Linear(6 * 14 * 14, 10, key: key)
    }
    #expect(lenet(Tensor.zeros([2, 1, 28, 28])).shape == [2, 10])
    let conv = Conv2d(3, 8, kernelSize: 3, groups: 1, key: key)
    let bound = 1 / (27.0).squareRoot()
    #expect(conv.weight.detachedValue.abs().max().item() <= bound)
    #expect(conv.weight.detachedValue.abs().max().item() > 0.8 * bound)
    let emb = Embedding(10, 4, paddingIndex: 2, key: key)
    #expect(emb.weight.detachedValue.select(0, 2).abs().sum().item() == 0)
    #expect(emb(Tensor([1, 2, 3], shape: [3])).shape == [3, 4])
    let mha = MultiheadAttention(8, 2, key: key)
    #expect(mha.inProjBias!.detachedValue.abs().sum().item() == 0 && mha.outProj.bias!.detachedValue.abs().sum().item() == 0)
    #expect(mha(Tensor.zeros([5, 2, 8]), Tensor.zeros([7, 2, 8]), Tensor.zeros([7, 2, 8])).shape == [5, 2, 8])
    let gru = GRU(3, 5, numLayers: 2, bidirectional: true, key: key)
    let (y, h) = gru(Tensor.zeros([4, 2, 3]))
    #expect(y.shape == [4, 2, 10] && h.shape == [4, 2, 5])
    let (yu, hu) = gru(Tensor.zeros([4, 3]))  // unbatched
    #expect(yu.shape == [4, 10] && hu.shape == [4, 5])
    let block = TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 16, key: key)
    #expect(block.namedParameters.count == 12)
    #expect(block(Tensor.zeros([3, 2, 8])).shape == [3, 2, 8])
    #expect(ConvTranspose2d(3, 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, key: key)(Tensor.zeros([1, 3, 4, 4])).shape == [1, 2, 8, 8])
}

@Test func penaltiesSumParameters() {
    let layer = Linear(weight: Tensor([1, -2, 3, -4] as [Float], shape: [2, 2]), bias: Tensor([0.5, -0.5] as [Float], shape: [2]))
    #expect(l1Penalty(layer.parameters).item() == 11)
    #expect(l2Penalty(layer.parameters).item() == 30.5)
    l2Penalty(layer.parameters).backward()
    #expect(layer.weight.grad!.toArray() == [2, -4, 6, -8])
}

@Suite struct ModuleModeSwitchTests {
    @Test func evalAndTrainSetTheWholeTree() {
        let model = Sequential([Linear(2, 3), Dropout(p: 0.5), Linear(3, 1)])
        let returned = model.eval()
        #expect(returned === model)
        #expect(model.modules.allSatisfy { !$0.isTraining })
        model.train()
        #expect(model.modules.allSatisfy { $0.isTraining })
        model.train(false)
        #expect(!model.isTraining)
    }
}
