import TrainKitCore

/// Kullback–Leibler divergence `KL(target ‖ input)` with `input` as log-probabilities (PyTorch's
/// `F.kl_div`): per element `ℓ = t·(log t - x)` (0 where `t = 0`), or `eᵗ·(t - x)` when `logTarget`.
///
/// Reductions: `.mean` averages over **all** elements (PyTorch's documented quirk), `.batchMean` divides
/// the sum by the batch size `input.shape[0]` (the true KL per sample), `.sum`, `.none`.
public func klDivergence(logProbabilities input: Tensor, targets: Tensor, reduction: KLReduction = .mean,
                         logTarget: Bool = false) -> Tensor {
    checkSameShape("klDivergence", input, targets)
    let loss: Tensor
    if logTarget {
        loss = targets.exp() * (targets - input)
    } else {
        let positive = targets .> 0
        let safe = Tensor.where(positive, targets, Tensor.full(1, shape: [], dtype: targets.dtype, device: targets.device))
        loss = targets * (safe.log() - input)
    }
    switch reduction {
    case .mean: return loss.mean()
    case .sum: return loss.sum()
    case .none: return loss
    case .batchMean: return loss.sum() / Double(Swift.max(input.rank == 0 ? 1 : input.shape[0], 1))
    }
}

/// Reductions of ``klDivergence(logProbabilities:targets:reduction:logTarget:)``.
public enum KLReduction: Sendable {
    case mean, sum, none
    /// Sum divided by the batch size.
    case batchMean
}
