import Foundation
import Testing
import TrainKit
import TrainKitTestSupport

/// One model of `scripts/torch-state-dicts.py` and its TrainKit twin (keep the two lists in step).
struct TorchTwin: Sendable {
    let name: String
    /// Builds the TrainKit model with its own initialisation from `key`.
    let make: @Sendable (RandomKey) -> any Module
    /// Runs the model on the fixture inputs; the outputs by the names the script uses.
    let run: @Sendable (any Module, [String: Tensor]) -> [String: Tensor]

    static func layer(_ name: String, _ make: @escaping @Sendable (RandomKey) -> any Layer) -> TorchTwin {
        TorchTwin(name: name, make: make, run: { m, x in ["output": (m as! any Layer)(x["input"]!)] })
    }

    static let all: [TorchTwin] = [
        .layer("mlp") { k in
            let keys = k.split(2)
            return Sequential { Linear(4, 8, key: keys[0]); BatchNorm1d(8); ReLU(); Linear(8, 3, key: keys[1]) }
        },
        .layer("cnn") { k in
            let keys = k.split(2)
            return Sequential {
                Conv2d(2, 4, kernelSize: 3, padding: 1, key: keys[0]); BatchNorm2d(4); ReLU(); MaxPool2d(2)
                Flatten(); Linear(36, 5, key: keys[1])
            }
        },
        .layer("upsample") { k in
            let keys = k.split(2)
            return Sequential {
                ConvTranspose2d(2, 3, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, key: keys[0])
                GroupNorm(3, 3); ReLU(); Conv2d(3, 2, kernelSize: 1, key: keys[1])
            }
        },
        .layer("sequence") { k in
            Sequential { Conv1d(3, 4, kernelSize: 3, padding: 1, key: k); ReLU(); Flatten(); LayerNorm(20) }
        },
        TorchTwin(name: "lstm", make: { LSTM(3, 5, numLayers: 2, batchFirst: true, bidirectional: true, key: $0) },
                  run: { m, x in
                      let (y, s) = (m as! LSTM)(x["input"]!)
                      return ["output": y, "h_n": s.h, "c_n": s.c]
                  }),
        TorchTwin(name: "gru", make: { GRU(3, 4, numLayers: 2, batchFirst: true, key: $0) },
                  run: { m, x in
                      let (y, h) = (m as! GRU)(x["input"]!)
                      return ["output": y, "h_n": h]
                  }),
        TorchTwin(name: "rnn", make: { RNN(3, 4, batchFirst: true, bidirectional: true, key: $0) },
                  run: { m, x in
                      let (y, h) = (m as! RNN)(x["input"]!)
                      return ["output": y, "h_n": h]
                  }),
        TorchTwin(name: "attention", make: { MultiheadAttention(8, 2, batchFirst: true, key: $0) },
                  run: { m, x in ["output": (m as! MultiheadAttention)(x["query"]!, x["key"]!, x["value"]!)] }),
        .layer("transformer") {
            TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 16, dropout: 0, batchFirst: true, key: $0)
        },
        .layer("embedding") { Embedding(10, 4, paddingIndex: 0, key: $0) },
    ]

    /// `<name>.safetensors` (PyTorch's state dict) and `<name>.io.safetensors` (inputs and PyTorch's outputs).
    func fixture() throws -> (state: [String: Tensor], io: [String: Tensor]) {
        let dir = Fixtures.stateDictDirectory
        let state = try SafeTensors.read(from: dir.appendingPathComponent("\(name).safetensors")).tensors
        let io = try SafeTensors.read(from: dir.appendingPathComponent("\(name).io.safetensors")).tensors
        return (state, io)
    }

    static let inputNames: Set<String> = ["input", "query", "key", "value"]
}

@Suite struct TorchStateDictTests {
    /// Every state dict saved by PyTorch loads strictly into the TrainKit twin, whose keys are exactly PyTorch's,
    /// and the twin then computes PyTorch's outputs (float32 tolerance).
    @Test(arguments: TorchTwin.all.map(\.name))
    func pyTorchStateDictLoadsWithEqualOutputs(_ name: String) throws {
        let twin = TorchTwin.all.first { $0.name == name }!
        let (state, io) = try twin.fixture()
        let model = twin.make(RandomKey(seed: 7))
        #expect(model.stateDictKeys.sorted() == state.keys.sorted(), "\(name): keys differ from PyTorch's")
        try model.load(stateDict: state)
        model.isTraining = false
        let inputs = io.filter { TorchTwin.inputNames.contains($0.key) }
        let outputs = twin.run(model, inputs)
        let expected = io.filter { !TorchTwin.inputNames.contains($0.key) }
        #expect(Set(outputs.keys) == Set(expected.keys))
        for (key, want) in expected {
            let failure = closenessFailure(outputs[key]!, want, rtol: 1e-4, atol: 1e-5)
            #expect(failure == nil, "\(name).\(key): \(failure ?? "")")
        }
        // Values come back as loaded, buffers included (num_batches_tracked stays int64).
        let back = model.stateDict()
        for (key, value) in state {
            #expect(back[key]!.dtype == value.dtype, "\(name).\(key) dtype")
            #expect(back[key]!.toArray(as: Double.self) == value.toArray(as: Double.self), "\(name).\(key) values")
        }
    }

    /// `num_batches_tracked` is int64 and counts training passes, as in PyTorch.
    @Test func batchNormCountsTrainingPassesLikePyTorch() throws {
        let (state, _) = try TorchTwin.all[0].fixture()
        #expect(state["1.num_batches_tracked"]!.dtype == .int64)
        #expect(state["1.num_batches_tracked"]!.item() == 3)  // three training passes in the script
        let model = TorchTwin.all[0].make(RandomKey(seed: 1)) as! Sequential
        for _ in 0..<3 { _ = model(Tensor.normal([5, 4], key: RandomKey(seed: 2))) }
        #expect(model.stateDict()["1.num_batches_tracked"]!.item() == 3)
        // With momentum nil the loaded count continues the cumulative average: the 4th batch weighs 1/4.
        let bn = BatchNorm1d(8, momentum: nil)
        var own: [String: Tensor] = [:]
        for (key, value) in state where key.hasPrefix("1.") { own[String(key.dropFirst(2))] = value }
        try bn.load(stateDict: own)
        let x = Tensor.normal([5, 8], key: RandomKey(seed: 3))
        _ = bn(x)
        let expected = own["running_mean"]! + (x.mean([0]) - own["running_mean"]!) / 4
        #expect(closenessFailure(bn.runningMean!.value, expected, rtol: 1e-6, atol: 1e-6) == nil)
        #expect(bn.stateDict()["num_batches_tracked"]!.item() == 4)
    }

    /// TrainKit's own state dicts have PyTorch's keys, shapes and dtypes (what `load_state_dict(strict=True)`
    /// needs) and load back with equal outputs. With `TRAINKIT_STATE_DICT_EXPORT=DIR` the files are written to
    /// DIR for `scripts/torch-state-dicts.py roundtrip DIR`, which loads them into PyTorch.
    @Test func trainKitStateDictsLoadIntoPyTorch() throws {
        let exportPath = ProcessInfo.processInfo.environment["TRAINKIT_STATE_DICT_EXPORT"]
        let dir = exportPath.map { URL(fileURLWithPath: $0) } ?? temporaryDirectory("torch-state-dict-export")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for twin in TorchTwin.all {
            let (torchState, io) = try twin.fixture()
            let inputs = io.filter { TorchTwin.inputNames.contains($0.key) }
            let model = twin.make(RandomKey(seed: 31))
            if let first = inputs["input"], first.dtype.isFloatingPoint {
                for step in 0..<2 { _ = twin.run(model, ["input": first + Double(step)]) }  // move BN statistics
            }
            model.isTraining = false
            let state = model.stateDict()
            #expect(state.keys.sorted() == torchState.keys.sorted(), "\(twin.name): keys")
            for (key, value) in torchState {
                #expect(state[key]?.shape == value.shape, "\(twin.name).\(key) shape")
                #expect(state[key]?.dtype == value.dtype, "\(twin.name).\(key) dtype")
            }
            let outputs = twin.run(model, inputs)
            let weights = dir.appendingPathComponent("\(twin.name).safetensors")
            try SafeTensors.write(state, metadata: ["generator": "TrainKit"], to: weights)
            try SafeTensors.write(inputs.merging(outputs) { a, _ in a }, to: dir.appendingPathComponent("\(twin.name).io.safetensors"))
            // The file reads back into a fresh twin with the same outputs.
            let copy = twin.make(RandomKey(seed: 32))
            try copy.load(stateDict: SafeTensors.read(from: weights).tensors)
            copy.isTraining = false
            for (key, value) in twin.run(copy, inputs) {
                #expect(value.toArray(as: Double.self) == outputs[key]!.toArray(as: Double.self), "\(twin.name).\(key)")
            }
        }
        if exportPath == nil { try? FileManager.default.removeItem(at: dir) }
    }
}
