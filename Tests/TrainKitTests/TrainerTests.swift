import Foundation
import Testing
import TrainKit

@Suite struct TrainerTests {
    @Test func fitLearnsBlobsAndReportsHistory() throws {
        let data = blobs(count: 300, seed: 1)
        let (train, val) = data.split(fraction: 0.8, seed: 0)
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: Adam(lr: 0.01),
                              metrics: [.accuracy], progress: .silent)
        let history = try trainer.fit(train, validation: val, epochs: 8, batchSize: 16)
        #expect(history.epochs.count == 8)
        #expect(history.values("loss").last! < history.values("loss").first!)
        #expect(history.last!["val_accuracy"]! > 0.9)
        let scores = trainer.evaluate(val)
        #expect(Set(scores.keys) == ["loss", "accuracy"])
        #expect(trainer.predict(val).shape == [60, 3])
        #expect(!trainer.model.isTraining)
    }

    @Test func sameSeedGivesIdenticalWeights() throws {
        func run() throws -> [String: [Float]] {
            let trainer = Trainer(model: smallModel(seed: 3, dropout: 0.2), loss: .crossEntropy,
                                  optimizer: SGD(lr: 0.05, momentum: 0.9), seed: 7, progress: .silent)
            try trainer.fit(blobs(count: 120, seed: 2), epochs: 3, batchSize: 10)
            return weightBytes(trainer.model)
        }
        #expect(try run() == run())
    }

    @Test func validationSplitHoldsOutData() throws {
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: Adam(lr: 0.01),
                              metrics: [.accuracy], progress: .silent)
        let history = try trainer.fit(blobs(count: 100, seed: 4), epochs: 2, batchSize: 20, validationSplit: 0.2)
        #expect(history.last!["val_loss"] != nil)
        #expect(trainer.batchesPerEpoch == 4)
    }

    @Test func nonFiniteLossStopsWithEpochAndBatch() throws {
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1), progress: .silent)
        trainer.trainingStep = { t, batch in
            let loss = TrainingLoss.crossEntropy(t.model(batch.features), batch.labels)
            return t.globalStep == 5 ? loss * Double.nan : loss  // NaN injected at the 6th step
        }
        do {
            try trainer.fit(blobs(count: 40, seed: 1), epochs: 3, batchSize: 10, shuffle: false)
            Issue.record("expected a non-finite loss error")
        } catch let error as TrainingError {
            guard case .nonFinite(let epoch, let batch, let what, let value) = error else {
                Issue.record("unexpected error \(error)"); return
            }
            #expect(epoch == 1 && batch == 1 && what == "loss" && value.isNaN)
            #expect("\(error)".contains("non-finite loss (nan) at epoch 2, batch 2"))
        }
    }

    @Test func nonFiniteGradientIsNamed() throws {
        let model = smallModel(seed: 0)
        let trainer = Trainer(model: model, loss: .crossEntropy, optimizer: SGD(lr: 0.1), progress: .silent)
        trainer.trainingStep = { t, batch in
            let out = t.model(batch.features)
            let loss = TrainingLoss.crossEntropy(out, batch.labels)
            // The loss stays finite, but the gradient of every weight becomes infinite.
            return t.globalStep == 2 ? loss + (out * 0).sqrt().sum() : loss  // d sqrt(0) = inf: NaN gradients
        }
        do {
            try trainer.fit(blobs(count: 30, seed: 1), epochs: 1, batchSize: 10, shuffle: false)
            Issue.record("expected a non-finite gradient error")
        } catch let error as TrainingError {
            guard case .nonFinite(let epoch, let batch, let what, _) = error else {
                Issue.record("unexpected error \(error)"); return
            }
            #expect(epoch == 0 && batch == 2)
            #expect(what.hasPrefix("gradient of "))
        }
    }

    @Test func labelFormsAreCheckedBeforeTraining() throws {
        let x = Tensor.uniform([20, 4], key: RandomKey(seed: 0))
        let regression = TensorDataset(features: x, labels: Tensor.uniform([20], key: RandomKey(seed: 1)))
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1), progress: .silent)
        do {
            try trainer.fit(regression, epochs: 1)
            Issue.record("expected a label error")
        } catch {
            #expect("\(error)".contains("use .mse for regression"))
        }
        let outOfRange = TensorDataset(features: x, labels: Tensor((0..<20).map { Int64($0 % 5) }))
        do {
            try trainer.fit(outOfRange, epochs: 1)
            Issue.record("expected a label error")
        } catch {
            #expect("\(error)".contains("label 3 is out of range for 3 classes"))
        }
        let mse = Trainer(model: smallModel(seed: 0), loss: .mse, optimizer: SGD(lr: 0.1), progress: .silent)
        do {
            try mse.fit(TensorDataset(features: x, labels: Tensor((0..<20).map { Int64($0 % 3) })), epochs: 1)
            Issue.record("expected a label error")
        } catch {
            #expect("\(error)".contains("for class labels use .crossEntropy"))
        }
    }

    @Test func earlyStoppingStopsAndRestoresTheBestWeights() throws {
        // With min_delta larger than any change, only the first epoch counts as an improvement: training stops
        // after `patience` more epochs and the model goes back to the weights of epoch 1.
        let stopper = EarlyStopping(monitor: "val_loss", patience: 2, minDelta: 100)
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [stopper], progress: .silent)
        let data = blobs(count: 90, seed: 5)
        let history = try trainer.fit(data, validation: data, epochs: 30, batchSize: 30)
        #expect(history.epochs.count == 3)
        #expect(stopper.stoppedEpoch == 2 && stopper.bestEpoch == 0)
        #expect(Swift.abs(trainer.evaluate(data)["loss"]! - history.epochs[0]["val_loss"]!) < 1e-6)
    }

    @Test func gradientAccumulationMatchesOneLargeBatch() throws {
        func run(batch: Int, accumulate: Int) throws -> [String: [Float]] {
            let trainer = Trainer(model: smallModel(seed: 2), loss: .crossEntropy, optimizer: SGD(lr: 0.1), progress: .silent)
            trainer.accumulationSteps = accumulate
            try trainer.fit(blobs(count: 64, seed: 3), epochs: 2, batchSize: batch, shuffle: false)
            return weightBytes(trainer.model)
        }
        let big = try run(batch: 32, accumulate: 1), small = try run(batch: 16, accumulate: 2)
        for (k, v) in big { for (a, b) in zip(v, small[k]!) { #expect(Swift.abs(a - b) < 1e-5, "\(k)") } }
    }

    @Test func loggersWriteOneRowPerEpoch() throws {
        let dir = temporaryDirectory("loggers")
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: Adam(lr: 0.01),
                              metrics: [.accuracy],
                              callbacks: [.csvLogger(dir.appendingPathComponent("log.csv").path),
                                          .jsonLinesLogger(dir.appendingPathComponent("log.jsonl").path)],
                              progress: .silent)
        let data = blobs(count: 60, seed: 1)
        try trainer.fit(data, validation: data, epochs: 3, batchSize: 20)
        let csv = try String(contentsOf: dir.appendingPathComponent("log.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 4)
        #expect(csv[0] == "epoch,loss,lr,val_accuracy,val_loss")
        let lines = try String(contentsOf: dir.appendingPathComponent("log.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect(first["epoch"] as? Double == 1 && first["val_accuracy"] != nil)
    }

    @Test func scheduleCallbackStepsTheLearningRate() throws {
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                              callbacks: [.lrSchedule { StepLR($0, stepSize: 1, gamma: 0.5) }], progress: .silent)
        let history = try trainer.fit(blobs(count: 30, seed: 1), epochs: 3, batchSize: 10)
        #expect(history.values("lr") == [0.1, 0.05, 0.025])
    }
}
