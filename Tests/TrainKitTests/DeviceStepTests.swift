import Foundation
import Testing
import TrainKit

/// The description of the error `body` throws ("" when it returns).
private func errorText(_ body: () throws -> Void) -> String {
    do {
        try body()
        return ""
    } catch {
        return "\(error)"
    }
}

/// Records each `batchEnd`'s logs.
private final class LogRecorder: Callback {
    var batches: [(epoch: Int, batch: Int, logs: [String: Double])] = []
    var readEveryBatch: [Double] = []
    let reads: Bool

    init(reads: Bool = false) { self.reads = reads }

    override func batchEnd(_ trainer: Trainer, epoch: Int, batch: Int, logs: [String: Double], stepped: Bool) throws {
        batches.append((epoch, batch, logs))
        if reads { readEveryBatch.append(try trainer.runningLoss()) }
    }
}

/// The training step keeps the loss on the device and reads it at intervals; the values read are those of a
/// per-batch read.
@Suite struct DeviceStepTests {
    /// The epoch loss is `Σ ℓ_b·n_b / Σ n_b` over the batches, summed in batch order in Double: the same bits
    /// as reading every batch's loss, whatever the read interval.
    @Test(arguments: [1, 3, 50])
    func loggedLossIsTheSampleWeightedMeanOfTheBatchLosses(interval: Int) throws {
        var perBatch: [[(loss: Double, count: Int)]] = [[], []]
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1), progress: .silent)
        trainer.logInterval = interval
        trainer.trainingStep = { t, batch in
            let loss = TrainingLoss.crossEntropy(t.model(batch.features), batch.labels)
            perBatch[t.history.epochs.count].append((loss.item(), batch.count))
            return loss
        }
        let history = try trainer.fit(blobs(count: 35, seed: 1), epochs: 2, batchSize: 10)  // batches 10, 10, 10, 5
        for epoch in 0..<2 {
            #expect(perBatch[epoch].count == 4)
            var sum = 0.0, count = 0
            for (loss, n) in perBatch[epoch] {
                sum += loss * Double(n)
                count += n
            }
            #expect(history.epochs[epoch]["loss"] == sum / Double(count))
        }
    }

    /// `batchEnd` gets the running loss every `logInterval` batches and on the epoch's last batch; a callback can
    /// read it at any batch with `runningLoss()`, and the value is the same as the trainer's own reads.
    @Test func batchLogsCarryTheLossAtReadPointsOnly() throws {
        let recorder = LogRecorder(reads: true)
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [recorder], progress: .silent)
        trainer.logInterval = 3
        try trainer.fit(blobs(count: 80, seed: 1), epochs: 1, batchSize: 10)  // 8 batches
        #expect(recorder.batches.map { $0.logs["loss"] != nil } == [false, false, true, false, false, true, false, true])
        for (i, entry) in recorder.batches.enumerated() {
            if let logged = entry.logs["loss"] { #expect(logged == recorder.readEveryBatch[i]) }
        }
        #expect(recorder.readEveryBatch.last == trainer.history.epochs[0]["loss"])
    }

    /// A NaN loss is noticed at the next read, but the error still names the batch it came from, and no
    /// checkpoint is written past it.
    @Test func nonFiniteLossStopsBeforeTheNextCheckpoint() throws {
        let directory = temporaryDirectory("nan-checkpoint")
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [ModelCheckpoint(directory: directory, everySteps: 4, monitor: nil)],
                              progress: .silent)
        trainer.trainingStep = { t, batch in
            let loss = TrainingLoss.crossEntropy(t.model(batch.features), batch.labels)
            return t.globalStep == 5 ? loss * Double.nan : loss  // the 6th step: epoch 0, batch 5
        }
        do {
            try trainer.fit(blobs(count: 100, seed: 1), epochs: 1, batchSize: 10)
            Issue.record("expected a non-finite loss error")
        } catch TrainingError.nonFinite(let epoch, let batch, let what, let value) {
            #expect(epoch == 0 && batch == 5 && what == "loss" && value.isNaN)
        }
        #expect(trainer.globalStep == 8)  // it stopped at the step-8 checkpoint, the first read after the NaN
        let store = CheckpointStore(directory: directory.appendingPathComponent("checkpoints"))
        #expect(store.latest?.lastPathComponent == "step-000000004")
        try? FileManager.default.removeItem(at: directory)
    }

    /// Labels are checked once for the whole dataset before training: a class index out of range in a late
    /// batch (the old check saw only the first batch) is a label error, and so is one in the validation data.
    @Test func everyLabelIsCheckedOnceBeforeTraining() throws {
        let x = Tensor.uniform([40, 4], key: RandomKey(seed: 0))
        var labels = (0..<40).map { Int64($0 % 3) }
        labels[37] = 7
        let late = TensorDataset(features: x, labels: Tensor(labels))
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1), progress: .silent)
        #expect(errorText { try trainer.fit(late, epochs: 1, batchSize: 8) }.contains("label 7 is out of range for 3 classes"))
        #expect(trainer.globalStep == 0)
        // A split of the same data (a Subset) and the validation set are checked the same way.
        #expect(errorText { try trainer.fit(late.subset(Array(30..<40)), epochs: 1, batchSize: 4) }.contains("label 7 is out of range for 3 classes"))
        let good = TensorDataset(features: x, labels: Tensor((0..<40).map { Int64($0 % 3) }))
        #expect(errorText { try trainer.fit(good, validation: late, epochs: 1, batchSize: 8) }.contains("validation data: label 7 is out of range"))
        #expect(trainer.globalStep == 0)
        // A dataset that is neither a TensorDataset nor a subset of one is read in batches.
        let mapped = late.map { $0 }
        #expect(errorText { try trainer.fit(mapped, epochs: 1, batchSize: 8) }.contains("label 7 is out of range for 3 classes"))
    }

    /// Binary cross-entropy targets outside [0, 1] anywhere in the dataset are a label error before training.
    @Test func binaryTargetsAreCheckedOverTheWholeDataset() throws {
        let x = Tensor.uniform([20, 4], key: RandomKey(seed: 0))
        var targets = [Float](repeating: 1, count: 20)
        targets[19] = 2
        let model = Sequential { Linear(4, 1) }
        let trainer = Trainer(model: model, loss: .binaryCrossEntropyWithLogits, optimizer: SGD(lr: 0.1), progress: .silent)
        #expect(errorText { try trainer.fit(TensorDataset(features: x, labels: Tensor(targets, shape: [20, 1])), epochs: 1, batchSize: 5) }.contains("binary cross-entropy targets must lie in [0, 1]"))
    }

    /// Evaluation reads its loss once at the end; the value is the sample-weighted mean of the batch losses.
    @Test func evaluateLossIsTheSampleWeightedMean() throws {
        let data = blobs(count: 50, seed: 2)
        let trainer = Trainer(model: smallModel(seed: 1), loss: .crossEntropy, optimizer: SGD(lr: 0.1), progress: .silent)
        var sum = 0.0
        for start in stride(from: 0, to: 50, by: 16) {
            let batch = data.gather(Array(start..<Swift.min(start + 16, 50)))
            sum += TrainingLoss.crossEntropy(trainer.predict(batch.features), batch.labels).item() * Double(batch.count)
        }
        #expect(trainer.evaluate(data, batchSize: 16)["loss"] == sum / 50)
    }
}
