import TrainKitCore
import TrainKitNN
import TrainKitOptim

extension DQN {
    /// Rows of next observations per target-network forward pass when a round's targets are computed ahead.
    static let targetChunkRows = 4096

    /// `gradientSteps` minibatch updates (see ``DQN`` for the target and loss).
    ///
    /// The target network does not change during a round (it moves only between environment steps), so without
    /// double Q the round draws all its minibatches' slots first (the same random numbers, in the same order, as
    /// drawing them step by step) and values every distinct next observation once with
    /// `max_a′ Q_target(s′, a′)`, in forward passes of up to `targetChunkRows` rows: a slot drawn twice is valued
    /// once, and the target's weights are packed once per pass instead of once per step. Each row of a matrix
    /// product is computed alone, so the values are the ones a per-step forward pass gives. Double Q asks the
    /// online network, which changes at every step, and keeps the per-step pass.
    func train(gradientSteps: Int, progressRemaining: Double) throws {
        let c = configuration
        optimizer.learningRates = [c.learningRate.value(progressRemaining: progressRemaining)]
        var slots: [[Int]] = []
        var bestNext: [Float] = []
        if !c.doubleQ {
            slots = (0..<gradientSteps).map { _ in replay.sampleIndices(c.batchSize, using: &rng) }
            bestNext = targetValues(of: slots)
        }
        var total = 0.0
        for step in 0..<gradientSteps {
            let batch = c.doubleQ ? replay.sample(c.batchSize, using: &rng) : replay.batch(at: slots[step])
            let b = batch.size, od = observationDimension
            let target: Tensor = noGrad {
                let best: Tensor
                if c.doubleQ {
                    let next = Tensor(batch.nextObservations, shape: [b, od])
                    let choice = qNet(next).argmax(1, keepDim: true)
                    best = qNetTarget(next).gather(1, choice).reshape([b])
                } else {
                    best = Tensor(slots[step].map { bestNext[$0] }, shape: [b])
                }
                let notDone = 1 - Tensor(batch.dones, shape: [b])
                return Tensor(batch.rewards, shape: [b]) + notDone * best * c.gamma
            }
            let actions = Tensor(batch.actions.map { Int($0) }, shape: [b, 1])
            let current = qNet(Tensor(batch.observations, shape: [b, od])).gather(1, actions).reshape([b])
            let loss = smoothL1Loss(predictions: current, targets: target)
            updates += 1
            let value = try applyGradientStep(loss, optimizer: optimizer, maxGradNorm: c.maxGradNorm, agent: Self.name,
                                              lossName: "Huber loss", update: updates, envSteps: numTimesteps)
            total += value
        }
        if gradientSteps > 0 { lastLoss = total / Double(gradientSteps) }
    }

    /// `max_a′ Q_target(s′, a′)` for each replay slot in `slots` (indexed by slot; slots not drawn stay 0), each
    /// distinct slot valued once, off the tape.
    func targetValues(of slots: [[Int]]) -> [Float] {
        var seen = [Bool](repeating: false, count: replay.count)
        var distinct: [Int] = []
        for batch in slots {
            for i in batch where !seen[i] {
                seen[i] = true
                distinct.append(i)
            }
        }
        var values = [Float](repeating: 0, count: replay.count)
        let od = observationDimension
        for start in stride(from: 0, to: distinct.count, by: Self.targetChunkRows) {
            let rows = Array(distinct[start..<min(start + Self.targetChunkRows, distinct.count)])
            let next = ReplayBuffer.gather(replay.nextObservations, rows: rows, width: od)
            let best = noGrad { qNetTarget(Tensor(next, shape: [rows.count, od])).max(1).toArray() }
            for (i, v) in zip(rows, best) { values[i] = v }
        }
        return values
    }
}
