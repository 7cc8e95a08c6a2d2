import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore

/// A model directory written before built-in layers took PyTorch's state-dict names still predicts.
@Suite(.serialized) struct LegacyModelFileTests {
    @Test func modelWithEarlierBatchNormNamesPredictsTheSame() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run")
        let config = wineConfig(task: "regression", epochs: 1, output: run)
            .replacingOccurrences(of: "hidden: [32]", with: "hidden: [32]\n  batch_norm: true")
        #expect(trainkit(["train", try write(config, to: "wine.yaml", in: dir)]).status == 0)
        let before = trainkit(["predict", run.path, "--data", bundledWine])
        #expect(before.status == 0, "\(before.diagnostics)")

        // Rewrite the weights with the names an earlier TrainKit wrote.
        let weights = run.appendingPathComponent("model/weights.safetensors")
        let file = try SafeTensors.read(from: weights)
        let earlier = ["running_mean": "runningMean", "running_var": "runningVar", "num_batches_tracked": "numBatchesTracked"]
        var renamed: [String: Tensor] = [:]
        for (key, value) in file.tensors {
            let parts = key.split(separator: ".").map(String.init)
            renamed[(parts.dropLast() + [earlier[parts.last!] ?? parts.last!]).joined(separator: ".")] = value
        }
        #expect(renamed.keys.contains { $0.hasSuffix(".runningMean") }, "the model has a batch norm: \(file.tensors.keys.sorted())")
        try FileManager.default.removeItem(at: weights)
        try SafeTensors.write(renamed, metadata: file.metadata, to: weights)

        let after = trainkit(["predict", run.path, "--data", bundledWine])
        #expect(after.status == 0, "\(after.diagnostics)")
        #expect(after.output == before.output && !before.output.isEmpty)

        // The weight checks apply under the earlier names too: a non-finite running mean is refused.
        let meanKey = renamed.keys.first { $0.hasSuffix(".runningMean") }!
        renamed[meanKey] = renamed[meanKey]! * Double.nan
        try FileManager.default.removeItem(at: weights)
        try SafeTensors.write(renamed, metadata: file.metadata, to: weights)
        let damaged = trainkit(["predict", run.path, "--data", bundledWine])
        #expect(damaged.status == 3 && damaged.diagnostics.contains("running_mean"), "\(damaged.diagnostics)")
    }
}
