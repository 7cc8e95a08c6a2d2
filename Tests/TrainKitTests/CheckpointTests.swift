import Foundation
import Testing
import TrainKit

/// A run of 4 epochs × 8 batches of 10 with dropout and Adam, checkpointing every 3 optimizer steps.
func checkpointedRun(directory: URL, killAtStep: Int? = nil, resume: Bool = false) throws -> Trainer {
    let trainer = Trainer(model: smallModel(seed: 11, dropout: 0.3), loss: .crossEntropy, optimizer: Adam(lr: 0.01),
                          callbacks: [ModelCheckpoint(directory: directory, everySteps: 3, monitor: nil),
                                      .lrSchedule { CosineAnnealingLR($0, tMax: 4) }],
                          seed: 5, progress: .silent)
    if let killAtStep {
        trainer.trainingStep = { t, batch in
            if t.globalStep == killAtStep { kill(getpid(), SIGKILL) }
            return TrainingLoss.crossEntropy(t.model(batch.features), batch.labels)
        }
    }
    try trainer.fit(blobs(count: 80, seed: 9), epochs: 4, batchSize: 10, resumeFrom: resume ? directory : nil)
    return trainer
}

@Suite struct CheckpointTests {
    /// A training process killed with SIGKILL mid-epoch, resumed from its last checkpoint, ends with exactly the
    /// weights (same bytes) of an uninterrupted run.
    @Test func resumeAfterSIGKILLMatchesAnUninterruptedRun() async throws {
        let reference = try checkpointedRun(directory: temporaryDirectory("uninterrupted"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trainkit-sigkill-resume")
        try? FileManager.default.removeItem(at: directory)
        await #expect(processExitsWith: .signal(SIGKILL)) {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trainkit-sigkill-resume")
            _ = try checkpointedRun(directory: directory, killAtStep: 13)  // step 13 = epoch 2, batch 6
        }
        let store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"))
        #expect(store.latest?.lastPathComponent == "step-000000012")
        let resumed = try checkpointedRun(directory: directory, resume: true)
        #expect(resumed.globalStep == reference.globalStep)
        #expect(weightBytes(resumed.model) == weightBytes(reference.model))
        #expect(resumed.optimizer.learningRates == reference.optimizer.learningRates)
        #expect(resumed.history == reference.history)
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func damagedCheckpointsFailClearlyAndThePreviousOneStillLoads() throws {
        let directory = temporaryDirectory("damaged")
        _ = try checkpointedRun(directory: directory)
        let store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"))
        let all = store.checkpoints
        #expect(all.count == 2)
        let newest = store.latest!, previous = all.first { $0 != newest }!
        // Truncate the newest model file.
        let modelURL = newest.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: modelURL)
        try bytes.prefix(bytes.count - 7).write(to: modelURL)
        #expect(throws: TrainingError.self) { try Checkpoint.read(from: newest) }
        do { _ = try Checkpoint.read(from: newest) } catch {
            #expect("\(error)".contains("model.safetensors") && "\(error)".contains("truncated"))
        }
        // Corrupt the state file of the same checkpoint too.
        try Data("{\"format\": 1, \"epoch\": ".utf8).write(to: newest.appendingPathComponent("state.json"))
        do { _ = try Checkpoint.read(from: newest) } catch {
            #expect("\(error)".contains("state.json") && "\(error)".contains("not a valid training state"))
        }
        let loaded = try Checkpoint.read(from: previous)
        #expect(!loaded.model.isEmpty)
        let found = try store.loadLatestValid()
        #expect(found.url == previous)
        #expect(found.skipped.count == 1)
        // A trainer resumes from the run directory through the damaged checkpoint to the previous one.
        let resumed = try checkpointedRun(directory: directory, resume: true)
        #expect(resumed.globalStep == 32)
    }

    /// D9: a state.json whose values decode but are out of range (negative counters, a counter near Int.max)
    /// is treated like a damaged checkpoint: skipped for the previous one, or a checkpoint error naming the file
    /// and the field when no other checkpoint is readable.
    @Test func d9StateOutOfRange() throws {
        let directory = temporaryDirectory("state-range")
        _ = try checkpointedRun(directory: directory)
        let store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"))
        let newest = store.latest!, previous = store.checkpoints.first { $0 != newest }!
        func edit(_ checkpoint: URL, _ key: String, _ value: Any) throws {
            let url = checkpoint.appendingPathComponent("state.json")
            var state = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            state[key] = value
            try JSONSerialization.data(withJSONObject: state).write(to: url)
        }
        let original = try Data(contentsOf: newest.appendingPathComponent("state.json"))
        for (key, value) in [("epoch", -5), ("nextBatch", -1), ("globalStep", -3), ("runningLossCount", -1),
                             ("epoch", Int.max)] as [(String, Int)] {
            try original.write(to: newest.appendingPathComponent("state.json"))
            try edit(newest, key, value)
            do {
                _ = try Checkpoint.read(from: newest)
                Issue.record("\(key) = \(value) was accepted")
            } catch {
                #expect("\(error)".contains("state.json: \(key) is \(value), must be between 0 and"), "\(error)")
            }
        }
        try edit(newest, "runningLossSum", "nan")
        #expect(throws: TrainingError.self) { try Checkpoint.read(from: newest) }
        try edit(newest, "epoch", -5)
        let found = try store.loadLatestValid()
        #expect(found.url == previous && found.skipped.count == 1)
        let resumed = try checkpointedRun(directory: directory, resume: true)
        #expect(resumed.globalStep == 32)

        for checkpoint in store.checkpoints { try edit(checkpoint, "globalStep", -1) }
        do {
            _ = try checkpointedRun(directory: directory, resume: true)
            Issue.record("resumed from checkpoints with a negative globalStep")
        } catch let error as TrainingError {
            guard case .checkpoint(let message) = error else { throw error }
            #expect(message.contains("state.json: globalStep is -1"), "\(message)")
        }
    }

    @Test func savedModelLoadsIntoAFreshOne() throws {
        let dir = temporaryDirectory("save")
        let model = smallModel(seed: 1)
        let path = dir.appendingPathComponent("model.safetensors").path
        try model.save(to: path)
        let fresh = smallModel(seed: 2)
        try fresh.load(from: path)
        let x = Tensor.uniform([5, 4], key: RandomKey(seed: 3))
        fresh.isTraining = false
        model.isTraining = false
        #expect(fresh(x).toArray() == model(x).toArray())
    }
}
