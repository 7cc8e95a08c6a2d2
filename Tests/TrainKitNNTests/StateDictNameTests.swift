import Testing
import TrainKitCore
import TrainKitNN
import TrainKitTestSupport

/// Built-in layers declare PyTorch's state-dict names; checkpoints with the earlier (Swift property) names load.
@Suite struct StateDictNameTests {
    @Test func builtInLayersUsePyTorchNames() {
        let key = RandomKey(seed: 1)
        #expect(BatchNorm2d(3).stateDictKeys == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        #expect(BatchNorm1d(3, affine: false, trackRunningStats: false).stateDictKeys.isEmpty)
        #expect(BatchNorm1d(3, affine: false).stateDictKeys == ["running_mean", "running_var", "num_batches_tracked"])
        #expect(Linear(2, 3, bias: false, key: key).stateDictKeys == ["weight"])
        #expect(LayerNorm(4).stateDictKeys == ["weight", "bias"] && GroupNorm(2, 4).stateDictKeys == ["weight", "bias"])
        #expect(Embedding(5, 2, key: key).stateDictKeys == ["weight"])
        #expect(GRU(3, 4, numLayers: 2, key: key).stateDictKeys == [
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
        ])
        #expect(RNN(3, 4, bias: false, bidirectional: true, key: key).stateDictKeys == [
            "weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
        ])
        #expect(MultiheadAttention(8, 2, bias: false, key: key).stateDictKeys == ["in_proj_weight", "out_proj.weight"])
        let block = TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 16, key: key)
        #expect(block.stateDictKeys == [
            "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
            "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
        ])
        // The weight shapes are PyTorch's too: gate blocks stacked in the rows.
        let lstm = LSTM(3, 5, numLayers: 2, bidirectional: true, key: key)
        let shapes = Dictionary(uniqueKeysWithValues: lstm.stateDict().map { ($0.key, $0.value.shape) })
        #expect(shapes["weight_ih_l0"] == [20, 3] && shapes["weight_ih_l1_reverse"] == [20, 10])
        #expect(shapes["weight_hh_l1"] == [20, 5] && shapes["bias_hh_l0_reverse"] == [20])
    }

    /// A user-defined module keeps names from its properties, with built-in layers' names below them.
    @Test func userModulesKeepPropertyNames() {
        final class Net: Layer {
            let moduleState = ModuleState()
            let encoder = Linear(3, 4, key: RandomKey(seed: 1))
            let norm = BatchNorm1d(4)
            func forward(_ x: Tensor) -> Tensor { norm(encoder(x)) }
        }
        #expect(Net().stateDictKeys == [
            "encoder.weight", "encoder.bias", "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var",
            "norm.num_batches_tracked",
        ])
    }

    /// The keys TrainKit wrote before the rename, spelled out: a state dict with them loads with equal outputs.
    @Test func checkpointsWithEarlierNamesStillLoad() throws {
        final class Net: Layer {
            let moduleState = ModuleState()
            let body: Sequential
            let lstm: LSTM
            let block: TransformerEncoderLayer
            init(_ seed: UInt64) {
                let keys = RandomKey(seed: seed).split(3)
                body = Sequential { Linear(3, 4, key: keys[0]); BatchNorm1d(4); ReLU() }
                lstm = LSTM(4, 4, numLayers: 2, bidirectional: true, key: keys[1])
                block = TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 8, dropout: 0, key: keys[2])
            }
            func forward(_ x: Tensor) -> Tensor {
                let h = body(x.reshape([-1, 3])).reshape([x.shape[0], x.shape[1], 4])
                return block(lstm(h).output)
            }
        }
        let earlier: [String: String] = [
            "body.1.runningMean": "body.1.running_mean", "body.1.runningVar": "body.1.running_var",
            "body.1.numBatchesTracked": "body.1.num_batches_tracked",
            "lstm.weightIH.0": "lstm.weight_ih_l0", "lstm.weightIH.1": "lstm.weight_ih_l0_reverse",
            "lstm.weightIH.2": "lstm.weight_ih_l1", "lstm.weightIH.3": "lstm.weight_ih_l1_reverse",
            "lstm.weightHH.0": "lstm.weight_hh_l0", "lstm.weightHH.1": "lstm.weight_hh_l0_reverse",
            "lstm.weightHH.2": "lstm.weight_hh_l1", "lstm.weightHH.3": "lstm.weight_hh_l1_reverse",
            "lstm.biasIH.0": "lstm.bias_ih_l0", "lstm.biasIH.1": "lstm.bias_ih_l0_reverse",
            "lstm.biasIH.2": "lstm.bias_ih_l1", "lstm.biasIH.3": "lstm.bias_ih_l1_reverse",
            "lstm.biasHH.0": "lstm.bias_hh_l0", "lstm.biasHH.1": "lstm.bias_hh_l0_reverse",
            "lstm.biasHH.2": "lstm.bias_hh_l1", "lstm.biasHH.3": "lstm.bias_hh_l1_reverse",
            "block.selfAttention.inProjWeight": "block.self_attn.in_proj_weight",
            "block.selfAttention.inProjBias": "block.self_attn.in_proj_bias",
            "block.selfAttention.outProj.weight": "block.self_attn.out_proj.weight",
            "block.selfAttention.outProj.bias": "block.self_attn.out_proj.bias",
        ]
        let source = Net(1)
        let x = Tensor.normal([5, 2, 3], key: RandomKey(seed: 2))
        _ = source(x)  // moves the running statistics
        source.isTraining = false
        let current = source.stateDict()
        var old: [String: Tensor] = [:]
        let toOld = Dictionary(uniqueKeysWithValues: earlier.map { ($1, $0) })
        for (k, v) in current { old[toOld[k] ?? k] = v }
        #expect(old.keys.contains("lstm.weightIH.3") && !old.keys.contains("lstm.weight_ih_l1_reverse"))
        #expect(source.legacyKeys() == earlier)
        #expect(source.usesLegacyKeys(old) && !source.usesLegacyKeys(current))

        let target = Net(9)
        target.isTraining = false
        #expect(target(x).toArray() != source(x).toArray())
        try target.load(stateDict: old)
        #expect(target(x).toArray() == source(x).toArray())
        #expect(target.stateDict()["body.1.num_batches_tracked"]!.item() == 1)
        // A key neither name explains is still reported, and a current dict comes back unchanged.
        var wrong = old
        wrong["lstm.weightIH.9"] = wrong.removeValue(forKey: "lstm.weightIH.3")
        #expect(throws: StateDictError.missingKey("lstm.weight_ih_l1_reverse")) { try target.load(stateDict: wrong) }
        #expect(Set(target.upgradingLegacyKeys(current).keys) == Set(current.keys))
    }

    /// The earlier parameter order (what an optimizer state saved then numbers): every `weightIH` first.
    @Test func legacyParameterOrderIsTheEarlierReflectionOrder() {
        let lstm = LSTM(2, 3, numLayers: 2, key: RandomKey(seed: 4))
        let earlier = lstm.weightIH + lstm.weightHH + lstm.biasIH + lstm.biasHH
        #expect(lstm.legacyParameterOrder.map(ObjectIdentifier.init) == earlier.map(ObjectIdentifier.init))
        let today = [lstm.weightIH[0], lstm.weightHH[0], lstm.biasIH[0], lstm.biasHH[0],
                     lstm.weightIH[1], lstm.weightHH[1], lstm.biasIH[1], lstm.biasHH[1]]
        #expect(lstm.parameters.map(ObjectIdentifier.init) == today.map(ObjectIdentifier.init))
        let mlp = Sequential { Linear(2, 3); BatchNorm1d(3) }
        #expect(mlp.legacyParameterOrder.map(ObjectIdentifier.init) == mlp.parameters.map(ObjectIdentifier.init))
    }
}
