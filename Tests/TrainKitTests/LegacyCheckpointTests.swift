import Foundation
import Testing
import TrainKit

/// Blobs features `[N, 4]` read as two steps of 2 features by a 2-layer bidirectional LSTM, then a batch norm
/// and a linear head: every kind of renamed key, and a parameter order that changed with the PyTorch names.
final class RecurrentBlobs: Layer {
    let moduleState = ModuleState()
    let lstm: LSTM
    let norm = BatchNorm1d(12)
    let head: Linear

    init(seed: UInt64) {
        let keys = RandomKey(seed: seed).split(2)
        lstm = LSTM(2, 3, numLayers: 2, batchFirst: true, bidirectional: true, key: keys[0])
        head = Linear(12, 3, key: keys[1])
    }

    func forward(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        return head(norm(lstm(x.reshape([n, 2, 2])).output.reshape([n, 12])))
    }
}

@Suite struct LegacyCheckpointTests {
    /// A checkpoint written before the PyTorch names (model keys `lstm.weightIH.1`, `norm.runningMean`;
    /// optimizer state numbered in the earlier parameter order) resumes exactly like the same checkpoint in
    /// today's format.
    @Test func checkpointWithEarlierNamesResumesLikeACurrentOne() throws {
        let data = blobs(count: 40, seed: 3)
        let first = Trainer(model: RecurrentBlobs(seed: 1), loss: .crossEntropy, optimizer: Adam(lr: 0.01), seed: 2,
                            progress: .silent)
        try first.fit(data, epochs: 1, batchSize: 10)
        let current = try first.checkpoint(epoch: 1, nextBatch: 0)
        let model = first.model

        // The same checkpoint as the earlier TrainKit wrote it.
        var legacy = current
        let renames = Dictionary(uniqueKeysWithValues: model.legacyKeys().map { ($1, $0) })
        legacy.model = Dictionary(uniqueKeysWithValues: current.model.map { (renames[$0] ?? $0, $1) })
        #expect(legacy.model["lstm.weightIH.1"] != nil && legacy.model["norm.runningMean"] != nil)
        let earlier = model.legacyParameterOrder.map(ObjectIdentifier.init)
        let parameters = first.optimizer.allParameters
        let savedIndex = parameters.map { earlier.firstIndex(of: ObjectIdentifier($0))! }
        #expect(savedIndex != Array(parameters.indices), "the earlier order differs, so the test renumbers")
        legacy.optimizer = [:]
        for (key, value) in current.optimizer {
            let parts = key.split(separator: ".", maxSplits: 2)
            legacy.optimizer["state.\(savedIndex[Int(parts[1])!]).\(parts[2])"] = value
        }
        for (today, saved) in savedIndex.enumerated() {
            legacy.state.optimizer.parameters[saved] = current.state.optimizer.parameters[today]
        }

        let root = temporaryDirectory("legacy-checkpoint")
        defer { try? FileManager.default.removeItem(at: root) }
        try current.write(to: root.appendingPathComponent("current"))
        try legacy.write(to: root.appendingPathComponent("legacy"))
        func resumed(_ name: String) throws -> Trainer {
            let t = Trainer(model: RecurrentBlobs(seed: 9), loss: .crossEntropy, optimizer: Adam(lr: 0.01), seed: 2,
                            progress: .silent)
            try t.fit(data, epochs: 3, batchSize: 10, resumeFrom: root.appendingPathComponent(name))
            return t
        }
        let a = try resumed("current"), b = try resumed("legacy")
        #expect(a.globalStep == 12 && b.globalStep == 12)
        #expect(weightBytes(a.model) == weightBytes(b.model))
        #expect(weightBytes(a.model) != weightBytes(model))
    }
}
