import Foundation
import Testing
import TrainKit

/// Batch norm cannot train on a batch of one row: `fit` drops such a last batch, and refuses a batch size of 1.
@Suite struct BatchNormTrainingTests {
    func batchNormModel() -> Sequential {
        Random.seed(0)
        return Sequential {
            Linear(4, 8)
            BatchNorm1d(8)
            ReLU()
            Linear(8, 3)
        }
    }

    @Test func d4BatchNormOneRowBatch() throws {
        let trainer = Trainer(model: batchNormModel(), loss: .crossEntropy, optimizer: Adam(lr: 0.01), progress: .silent)
        let history = try trainer.fit(blobs(count: 21, seed: 1), epochs: 2, batchSize: 4)  // 21 = 5·4 + 1
        #expect(history.epochs.count == 2)
        #expect(trainer.batchesPerEpoch == 5)
        #expect(trainer.lastBatchSize == 4)
    }

    @Test func d4BatchNormKeepsLastBatchOfTwoOrMore() throws {
        let trainer = Trainer(model: batchNormModel(), loss: .crossEntropy, optimizer: Adam(lr: 0.01), progress: .silent)
        try trainer.fit(blobs(count: 22, seed: 1), epochs: 1, batchSize: 4)
        #expect(trainer.batchesPerEpoch == 6)
        #expect(trainer.lastBatchSize == 2)
    }

    @Test func d4BatchNormBatchSizeOneThrows() throws {
        let trainer = Trainer(model: batchNormModel(), loss: .crossEntropy, optimizer: Adam(lr: 0.01), progress: .silent)
        #expect(throws: TrainingError.self) { try trainer.fit(blobs(count: 8, seed: 1), epochs: 1, batchSize: 1) }
    }
}
