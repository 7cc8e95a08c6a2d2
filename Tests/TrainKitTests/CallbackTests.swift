import Foundation
import Testing
import TrainKit

@Suite struct CallbackTests {
    /// With a learning rate of 0 nothing changes, so `val_loss` never improves: after `patience` epochs without
    /// improvement ReduceLROnPlateau multiplies the rate by `factor` (PyTorch's rule: more than `patience` bad epochs).
    @Test func reduceLROnPlateauLowersTheRateWhenTheMonitorStalls() throws {
        let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.5),
                              callbacks: [.reduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1)],
                              progress: .silent)
        trainer.trainingStep = { t, batch in TrainingLoss.crossEntropy(t.model(batch.features), batch.labels) * 0 }
        let data = blobs(count: 30, seed: 1)
        let history = try trainer.fit(data, validation: data, epochs: 5, batchSize: 10)
        #expect(history.values("lr") == [0.5, 0.5, 0.5, 0.25, 0.25])
    }

    /// When standard error is not a terminal, progress is one plain line per epoch, plus one every N steps with
    /// `.lines(everySteps:)`. Runs in a child process to capture its standard error.
    @Test func progressWritesPlainLinesWhenNotATerminal() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            let trainer = Trainer(model: smallModel(seed: 0), loss: .crossEntropy, optimizer: SGD(lr: 0.1),
                                  metrics: [.accuracy], progress: .lines(everySteps: 2))
            let data = blobs(count: 40, seed: 1)
            _ = try trainer.fit(data, validation: data, epochs: 2, batchSize: 10)
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("epoch 1 step ") || $0.hasPrefix("epoch 2 step ") }.count == 4)
        #expect(lines.contains { $0.hasPrefix("epoch 1/2  loss ") && $0.contains("val_accuracy") })
        #expect(lines.contains { $0.hasPrefix("epoch 2/2  loss ") })
        #expect(!text.contains("\u{1B}["))  // no terminal control sequences
    }
}
