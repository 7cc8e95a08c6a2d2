import TrainKitCore
import TrainKitOptim

/// The tail every agent's update shares: check that the loss is finite, clear the gradients, back-propagate,
/// clip the global gradient norm to `maxGradNorm` (when set) and let the optimizer step.
///
/// A NaN or ±∞ loss, or a non-finite gradient norm, throws ``AgentError/nonfiniteLoss(agent:loss:update:envSteps:)``
/// before any parameter changes.
///
/// - Parameters:
///   - loss: a scalar on the tape.
///   - lossName: how the error names the loss (`loss`, `Huber loss`, `critic loss`).
///   - maxGradNorm: SB3's `max_grad_norm`; nil: no clipping (SAC).
///   - agent, update, envSteps: where the error says training stopped (`update` counted from 1).
/// - Returns: the loss value.
@discardableResult
func applyGradientStep(_ loss: Tensor, optimizer: any OptimizerProtocol, maxGradNorm: Double?, agent: String,
                       lossName: String = "loss", update: Int, envSteps: Int) throws -> Double {
    let value = loss.item()
    guard value.isFinite else {
        throw AgentError.nonfiniteLoss(agent: agent, loss: lossName, update: update, envSteps: envSteps)
    }
    optimizer.zeroGrad()
    loss.backward()
    if let maxGradNorm {
        do {
            try clipGradNorm(optimizer.allParameters, maxNorm: maxGradNorm)
        } catch {
            throw AgentError.nonfiniteLoss(agent: agent, loss: "gradient norm", update: update, envSteps: envSteps)
        }
    }
    optimizer.step()
    return value
}
