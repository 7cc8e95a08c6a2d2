import Foundation
import TrainKitCore

/// A categorical distribution over `n` actions from logits, batched: `p = softmax(logits)`.
///
/// Tensor side (on the tape, for the loss): logits `[B, n]`, actions `[B]` (int64).
/// - `log π(a) = log_softmax(logits)[a]` → `[B]`
/// - `H = −Σ p · log p` → `[B]`
///
/// Host side (rollouts): sampling, the mode (argmax) and the log-probability from one row of logits.
public enum Categorical {
    /// `log π(a | s)` for each row: `[B, n]`, `[B]` → `[B]`.
    public static func logProb(logits: Tensor, actions: Tensor) -> Tensor {
        logits.logSoftmax(-1).gather(1, actions.reshape([actions.shape[0], 1])).reshape([actions.shape[0]])
    }

    /// Entropy of each row: `[B, n]` → `[B]`.
    public static func entropy(logits: Tensor) -> Tensor {
        let logP = logits.logSoftmax(-1)
        return -(logP.exp() * logP).sum(-1)
    }

    /// Log-probabilities of one row of logits (stable: `x − max − log Σ exp(x − max)`).
    public static func logProbabilities(_ logits: ArraySlice<Float>) -> [Double] {
        let m = Double(logits.max() ?? 0)
        let lse = log(logits.reduce(0.0) { $0 + exp(Double($1) - m) }) + m
        return logits.map { Double($0) - lse }
    }

    /// Draws an action from one row of logits by inverting the cumulative distribution; returns it with its
    /// log-probability.
    public static func sample(_ logits: ArraySlice<Float>, using rng: inout AgentRandom) -> (action: Int, logProb: Double) {
        let logP = logProbabilities(logits)
        let u = rng.uniform()
        var cumulative = 0.0
        for (i, lp) in logP.enumerated() {
            cumulative += exp(lp)
            if u < cumulative { return (i, lp) }
        }
        return (logP.count - 1, logP[logP.count - 1])
    }

    /// The most likely action (the first on ties, as `torch.argmax`).
    public static func mode(_ logits: ArraySlice<Float>) -> Int {
        var best = logits.startIndex
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best - logits.startIndex
    }
}
