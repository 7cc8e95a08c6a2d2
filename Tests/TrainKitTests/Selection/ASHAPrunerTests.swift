import Foundation
import Testing
import TrainKit

@Suite struct ASHAPrunerTests {
    @Test func rungsAreAtMinResourceTimesPowersOfEta() {
        #expect(ASHAPruner(minResource: 1, reductionFactor: 3).rungs(below: 30) == [1, 3, 9, 27])
        #expect(ASHAPruner(minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1).rungs(below: 20) == [4, 8, 16])
    }

    @Test func promotesOnlyTheTopOneOverEtaAtARung() {
        let pruner = ASHAPruner(minResource: 1, reductionFactor: 3)
        func record(_ n: Int, _ value: Double) -> TrialRecord {
            TrialRecord(number: n, params: [:], seed: 0, intermediate: [0: value])
        }
        // Maximizing; six earlier trials reached rung 1 (epoch 0) with 0.1 ... 0.6.
        let others = (0..<6).map { record($0, Double($0 + 1) / 10) }
        // m = 7 values, keep the best ⌊7/3⌋ = 2: 0.6 and the newcomer only if it beats 0.5.
        #expect(
            !pruner.shouldPrune(
                trial: record(6, 0.55), epoch: 0, trials: others + [record(6, 0.55)], direction: .maximize))
        #expect(
            pruner.shouldPrune(
                trial: record(6, 0.45), epoch: 0, trials: others + [record(6, 0.45)], direction: .maximize))
        #expect(
            !pruner.shouldPrune(
                trial: record(6, 0.05), epoch: 0, trials: others + [record(6, 0.05)], direction: .minimize))
        // Not a rung (epoch 1 = 2 epochs run) and the first trial at a rung: never pruned.
        let late = TrialRecord(number: 9, params: [:], seed: 0, intermediate: [1: 0])
        #expect(!pruner.shouldPrune(trial: late, epoch: 1, trials: [late], direction: .maximize))
        #expect(!pruner.shouldPrune(trial: record(0, 0), epoch: 0, trials: [record(0, 0)], direction: .maximize))
        #expect(
            pruner.shouldPrune(
                trial: record(7, .nan), epoch: 0, trials: others + [record(7, .nan)], direction: .maximize))
    }

    /// Synthetic learning curves: a trial of quality q scores q·(1 − 0.5^(epoch+1)), so curves never cross and the
    /// best trial leads at every rung. 27 trials × 9 epochs with rungs at 1 and 3 (9 is the full budget).
    @Test func stopsWeakTrialsAndLetsTheBestFinish() throws {
        let space = try SearchSpace(["q": .uniform(low: 0, high: 1)])
        let study = try Study(
            space: space, metric: "score", direction: .maximize, sampler: RandomSampler(seed: 4),
            pruner: ASHAPruner(minResource: 1, reductionFactor: 3, maxResource: 9))
        let result = try study.optimize(trials: 27) { trial in
            var score = 0.0
            for epoch in 0..<9 {
                score = trial.double("q") * (1 - pow(0.5, Double(epoch + 1)))
                if trial.report(epoch: epoch, value: score) { break }
            }
            return ["score": score]
        }
        let pruned = result.trials.filter { $0.state == .pruned }
        #expect(pruned.count > 0 && result.counts["pruned"] == pruned.count)
        #expect(
            pruned.allSatisfy {
                [1, 3].contains($0.epochsReported) && $0.value == $0.intermediate[$0.epochsReported - 1]
            })
        let best = result.trials.max { $0.params["q"]!.doubleValue! < $1.params["q"]!.doubleValue! }!
        #expect(best.state == .complete && best.epochsReported == 9)
        #expect(result.best!.trial == best.number)
        let epochsRun = result.trials.reduce(0) { $0 + $1.epochsReported }
        #expect(epochsRun < 27 * 9 / 2, "ASHA ran \(epochsRun) of \(27 * 9) epochs")
    }

    /// The same through the trainer: a TrialReporter callback reports val_loss and stops fit when pruned.
    @Test func trainerCallbackReportsAndStops() throws {
        let data = blobs(count: 90, seed: 6)
        let (train, validation) = data.split(fraction: 0.7, seed: 0)
        let space = try SearchSpace(["lr": .logUniform(low: 1e-5, high: 0.3)])
        let study = try Study(
            space: space, metric: "val_loss", sampler: RandomSampler(seed: 2),
            pruner: ASHAPruner(minResource: 1, reductionFactor: 2, maxResource: 4))
        #expect(study.direction == .minimize)
        let result = try study.optimize(trials: 6) { trial in
            let model = Sequential {
                Linear(4, 8)
                ReLU()
                Linear(8, 3)
            }
            let trainer = Trainer(
                model: model, loss: .crossEntropy, optimizer: Adam(lr: trial.double("lr")),
                callbacks: [trial.reporter(monitor: "val_loss")], seed: trial.seed, progress: .silent)
            try trainer.fit(train, validation: validation, epochs: 4, batchSize: 16)
            #expect(trainer.history.epochs.count == (trial.isPruned ? trial.lastReported!.epoch + 1 : 4))
            return trainer.history.last!
        }
        #expect(result.trials.count == 6)
        #expect(result.trials.allSatisfy { $0.state == .complete || $0.state == .pruned })
        #expect(result.trials.contains { $0.state == .pruned })
        #expect(result.trials.allSatisfy { $0.state != .complete || $0.epochsReported == 4 })
        #expect(result.best != nil && result.best!.metrics["val_loss"] == result.best!.value)
    }
}
