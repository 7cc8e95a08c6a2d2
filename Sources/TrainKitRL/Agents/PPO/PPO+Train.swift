import Foundation
import TrainKitCore
import TrainKitNN
import TrainKitOptim

extension PPO {
    /// `n_epochs` passes of shuffled minibatches over the filled buffer (see ``PPO`` for the loss).
    func train(progressRemaining: Double) throws {
        let c = configuration
        optimizer.learningRates = [c.learningRate.value(progressRemaining: progressRemaining)]
        let clip = c.clipRange.value(progressRemaining: progressRemaining)
        let clipVf = c.clipRangeVf?.value(progressRemaining: progressRemaining)
        let total = buffer.count
        var sums: [String: Double] = [:], batches = 0
        epochs: for _ in 0..<c.nEpochs {
            let order = rng.permutation(total)
            var start = 0
            while start < total {
                let index = order[start..<Swift.min(start + c.batchSize, total)]
                start += c.batchSize
                let stats = try step(index, clip: clip, clipVf: clipVf)
                for (k, v) in stats { sums[k, default: 0] += v }
                batches += 1
                if let targetKl = c.targetKl, let kl = stats["approx_kl"], kl > 1.5 * targetKl { break epochs }
            }
        }
        lastLosses = sums.mapValues { $0 / Double(Swift.max(batches, 1)) }
        lastLosses["learning_rate"] = optimizer.learningRates[0]
        lastLosses["clip_range"] = clip
    }

    /// One gradient step on the rows `index` of the buffer; returns the minibatch's loss statistics.
    private func step(_ index: ArraySlice<Int>, clip: Double, clipVf: Double?) throws -> [String: Double] {
        let c = configuration, b = index.count
        let od = observationDimension, ad = actionDimension
        var obs: [Float] = [], act: [Float] = [], oldLogP: [Float] = [], oldV: [Float] = [], adv: [Double] = [],
            ret: [Float] = []
        obs.reserveCapacity(b * od); act.reserveCapacity(b * ad)
        for i in index {
            obs += buffer.observations[(i * od)..<((i + 1) * od)]
            act += buffer.actions[(i * ad)..<((i + 1) * ad)]
            oldLogP.append(Float(buffer.logProbs[i])); oldV.append(Float(buffer.values[i]))
            adv.append(buffer.advantages[i]); ret.append(Float(buffer.returns[i]))
        }
        if c.normalizeAdvantage && b > 1 {
            let mean = adv.reduce(0, +) / Double(b)
            let std = (adv.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(b - 1)).squareRoot()
            adv = adv.map { ($0 - mean) / (std + 1e-8) }
        }
        let advantages = Tensor(adv.map(Float.init), shape: [b])
        let oldLogProb = Tensor(oldLogP, shape: [b])
        let (distribution, values) = policy(Tensor(obs, shape: [b, od]))
        let logProb: Tensor, entropy: Tensor?
        switch policy.actionKind {
        case .categorical:
            let actions = Tensor(act.map { Int($0) }, shape: [b])
            logProb = Categorical.logProb(logits: distribution, actions: actions)
            entropy = c.entCoef != 0 ? Categorical.entropy(logits: distribution) : nil
        case .gaussian:
            let logStd = policy.logStd!.value
            logProb = DiagonalGaussian.logProb(means: distribution, logStd: logStd, actions: Tensor(act, shape: [b, ad]))
            entropy = c.entCoef != 0 ? DiagonalGaussian.entropy(logStd: logStd, batch: b) : nil
        }
        let logRatio = logProb - oldLogProb
        let ratio = logRatio.exp()
        let policyLoss = -(advantages * ratio).minimum(advantages * ratio.clamp(min: 1 - clip, max: 1 + clip)).mean()
        var valuesPred = values
        if let clipVf {
            let old = Tensor(oldV, shape: [b])
            valuesPred = old + (values - old).clamp(min: -clipVf, max: clipVf)
        }
        let valueLoss = mseLoss(predictions: valuesPred, targets: Tensor(ret, shape: [b]))
        var loss = policyLoss + valueLoss * c.vfCoef
        if let entropy { loss = loss - entropy.mean() * c.entCoef }
        updates += 1
        let lossValue = try applyGradientStep(loss, optimizer: optimizer, maxGradNorm: c.maxGradNorm, agent: Self.name,
                                              update: updates, envSteps: numTimesteps)
        var stats = ["loss": lossValue, "policy_gradient_loss": policyLoss.item(), "value_loss": valueLoss.item()]
        if let entropy { stats["entropy_loss"] = -entropy.mean().item() }
        if c.targetKl != nil {
            // approx_kl = mean((r − 1) − log r), Schulman's low-variance estimator (as SB3).
            stats["approx_kl"] = noGrad { ((ratio.detach() - 1) - logRatio.detach()).mean().item() }
        }
        return stats
    }
}
