import Foundation
import Testing
import TrainKit

/// Checkpoints whose optimizer metadata is format 1 (written before float64 optimizer state: no `format` key)
/// resume exactly; a newer optimizer format fails with an error naming both versions.
@Suite struct OptimizerFormatCheckpointTests {
    /// Sets (or with nil removes) the `format` of the optimizer metadata in every checkpoint of the run.
    func setOptimizerFormat(_ format: Int?, in directory: URL) throws {
        let store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"))
        for checkpoint in store.checkpoints {
            let url = checkpoint.appendingPathComponent("state.json")
            var state = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var optimizer = try #require(state["optimizer"] as? [String: Any])
            #expect(optimizer["format"] as? Int == OptimizerMetadata.currentFormat)
            optimizer["format"] = format
            state["optimizer"] = optimizer
            try JSONSerialization.data(withJSONObject: state).write(to: url)
        }
    }

    @Test func formatOneOptimizerStateResumesExactly() throws {
        let reference = try checkpointedRun(directory: temporaryDirectory("optimizer-format-reference"))
        let directory = temporaryDirectory("optimizer-format-1")
        _ = try checkpointedRun(directory: directory)
        try setOptimizerFormat(nil, in: directory)
        let resumed = try checkpointedRun(directory: directory, resume: true)
        #expect(resumed.globalStep == reference.globalStep)
        #expect(weightBytes(resumed.model) == weightBytes(reference.model))
    }

    @Test func newerOptimizerFormatIsRefusedNamingBothVersions() throws {
        let directory = temporaryDirectory("optimizer-format-3")
        _ = try checkpointedRun(directory: directory)
        try setOptimizerFormat(3, in: directory)
        do {
            _ = try checkpointedRun(directory: directory, resume: true)
            Issue.record("resumed from an optimizer state of format 3")
        } catch let error as TrainingError {
            guard case .checkpoint(let message) = error else { throw error }
            #expect(message.contains("format 3") && message.contains("formats 1 through 2"), "\(message)")
        }
    }
}
