import Foundation
import TrainKitCore
import TrainKitNN
import TrainKitOptim

extension SAC {
    /// `gradientSteps` updates of log α, the critics and the actor, each followed by the Polyak update of the
    /// target critics (see ``SAC``).
    func train(gradientSteps: Int, progressRemaining: Double) throws {
        let c = configuration
        let lr = c.learningRate.value(progressRemaining: progressRemaining)
        for optimizer in [actorOptimizer, criticOptimizer] + (entCoefOptimizer.map { [$0] } ?? []) {
            optimizer.learningRates = [lr]
        }
        var sums: [String: Double] = [:]
        for step in 0..<gradientSteps {
            for (k, v) in try gradientStep() { sums[k, default: 0] += v }
            if step % c.targetUpdateInterval == 0 {
                polyakUpdate(from: policy.critic.parameters, to: policy.criticTarget.parameters, tau: c.tau)
            }
        }
        lastLosses = sums.mapValues { $0 / Double(Swift.max(gradientSteps, 1)) }
        lastLosses["learning_rate"] = lr
    }

    /// Reparameterised actions of the actor for observations `[B, obs]`, on the tape: `tanh(u)` with
    /// `u = μ + σ ε` (ε drawn from the agent's stream), and `log π` `[B]`.
    func actorSample(_ observations: Tensor) -> (actions: Tensor, logProb: Tensor) {
        let (means, logStd) = policy.actor(observations)
        let b = observations.shape[0], ad = actionDimension
        let noise = Tensor((0..<(b * ad)).map { _ in Float(rng.normal()) }, shape: [b, ad])
        let u = means + logStd.exp() * noise
        return (u.tanh(), SquashedDiagonalGaussian.logProb(means: means, logStd: logStd, gaussianActions: u))
    }

    /// One update on a fresh minibatch; returns its losses.
    private func gradientStep() throws -> [String: Double] {
        let c = configuration
        let batch = replay.sample(c.batchSize, using: &rng)
        let b = batch.size, od = observationDimension, ad = actionDimension
        let observations = Tensor(batch.observations, shape: [b, od])
        updates += 1
        var stats: [String: Double] = [:]

        let (actionsPi, logProb) = actorSample(observations)
        // α from before this step's update (SB3 reads it before stepping log α).
        let alpha: Double
        if let logEntCoef, let entCoefOptimizer {
            alpha = exp(logEntCoef.detachedValue.item())
            let entLoss = -(logEntCoef.value * (logProb.detach() + targetEntropy)).mean()
            stats["ent_coef_loss"] = try applyGradientStep(entLoss, optimizer: entCoefOptimizer, maxGradNorm: nil,
                                                           agent: Self.name, lossName: "entropy-coefficient loss",
                                                           update: updates, envSteps: numTimesteps)
        } else {
            alpha = entCoef
        }
        stats["ent_coef"] = alpha

        let target: Tensor = noGrad {
            let next = Tensor(batch.nextObservations, shape: [b, od])
            let (nextActions, nextLogProb) = actorSample(next)
            let (q0, q1) = policy.criticTarget(next, nextActions)
            let soft = q0.minimum(q1) - nextLogProb * alpha
            return Tensor(batch.rewards, shape: [b]) + (1 - Tensor(batch.dones, shape: [b])) * soft * c.gamma
        }
        let (q0, q1) = policy.critic(observations, Tensor(batch.actions, shape: [b, ad]))
        let criticLoss = (mseLoss(predictions: q0, targets: target) + mseLoss(predictions: q1, targets: target)) * 0.5
        stats["critic_loss"] = try applyGradientStep(criticLoss, optimizer: criticOptimizer, maxGradNorm: nil,
                                                     agent: Self.name, lossName: "critic loss", update: updates,
                                                     envSteps: numTimesteps)

        let (qPi0, qPi1) = policy.critic(observations, actionsPi)
        let actorLoss = (logProb * alpha - qPi0.minimum(qPi1)).mean()
        stats["actor_loss"] = try applyGradientStep(actorLoss, optimizer: actorOptimizer, maxGradNorm: nil,
                                                    agent: Self.name, lossName: "actor loss", update: updates,
                                                    envSteps: numTimesteps)
        return stats
    }
}
