import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

private func reduction(_ c: FixtureCase) -> Reduction {
    switch c.string("reduction") {
    case "sum": .sum
    case "none": .none
    default: .mean
    }
}

/// Every case of the `loss` group (forward and every listed gradient, float targets included).
@Test func loss() throws {
    try runGroup("loss") { c, x in
        let input = x["input"]!, target = x["target"]!
        let r = reduction(c)
        let out: Tensor
        switch c.op {
        case "mse_loss": out = mseLoss(predictions: input, targets: target, reduction: r)
        case "l1_loss": out = l1Loss(predictions: input, targets: target, reduction: r)
        case "smooth_l1_loss": out = smoothL1Loss(predictions: input, targets: target, beta: c.double("beta")!, reduction: r)
        case "huber_loss": out = huberLoss(predictions: input, targets: target, delta: c.double("delta")!, reduction: r)
        case "cross_entropy":
            out = crossEntropy(logits: input, targets: target, weight: x["weight"], ignoreIndex: c.int("ignore_index")!,
                               labelSmoothing: c.double("label_smoothing")!, reduction: r)
        case "nll_loss":
            out = nllLoss(logProbabilities: input, targets: target, weight: x["weight"],
                          ignoreIndex: c.int("ignore_index")!, reduction: r)
        case "binary_cross_entropy":
            out = binaryCrossEntropy(probabilities: input, targets: target, weight: x["weight"], reduction: r)
        case "binary_cross_entropy_with_logits":
            out = binaryCrossEntropyWithLogits(logits: input, targets: target, weight: x["weight"],
                                               positiveWeight: x["pos_weight"], reduction: r)
        case "kl_div":
            let kl: KLReduction = switch c.string("reduction") {
            case "sum": .sum
            case "none": .none
            case "batchmean": .batchMean
            default: .mean
            }
            out = klDivergence(logProbabilities: input, targets: target, reduction: kl, logTarget: c.bool("log_target")!)
        default: return nil
        }
        return OpResult(outputs: ["output": out])
    }
}
