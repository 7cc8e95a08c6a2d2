import TrainKitCore
import TrainKitNN

/// The loss a ``Trainer`` minimizes, with the label form it expects (checked before training starts).
public enum TrainingLoss: Sendable {
    /// Softmax cross-entropy on logits `[N, C]` with int class indices `[N]` (or probability targets `[N, C]`).
    case crossEntropy(labelSmoothing: Double = 0)
    /// Mean squared error on float targets shaped like the outputs.
    case mse
    /// Mean absolute error on float targets shaped like the outputs.
    case l1
    /// Huber loss with threshold `delta`.
    case huber(delta: Double = 1)
    /// Binary cross-entropy on logits `[N]` or `[N, 1]` with 0/1 float targets.
    case binaryCrossEntropyWithLogits
    /// Any loss `(outputs, targets) -> scalar`; no label check.
    case custom(name: String, @Sendable (Tensor, Tensor) -> Tensor)

    public static var crossEntropy: TrainingLoss { .crossEntropy(labelSmoothing: 0) }

    public var name: String {
        switch self {
        case .crossEntropy: "cross_entropy"
        case .mse: "mse"
        case .l1: "l1"
        case .huber: "huber"
        case .binaryCrossEntropyWithLogits: "bce_with_logits"
        case .custom(let name, _): name
        }
    }

    /// The mean loss of `outputs` against `targets`, with optional class weights for cross-entropy.
    public func callAsFunction(_ outputs: Tensor, _ targets: Tensor, classWeights: Tensor? = nil) -> Tensor {
        switch self {
        case .crossEntropy(let smoothing):
            return TrainKitNN.crossEntropy(logits: outputs, targets: targets, weight: classWeights, labelSmoothing: smoothing)
        case .mse: return mseLoss(predictions: outputs, targets: targets.to(outputs.dtype).reshape(outputs.shape))
        case .l1: return l1Loss(predictions: outputs, targets: targets.to(outputs.dtype).reshape(outputs.shape))
        case .huber(let delta):
            return huberLoss(predictions: outputs, targets: targets.to(outputs.dtype).reshape(outputs.shape), delta: delta)
        case .binaryCrossEntropyWithLogits:
            return TrainKitNN.binaryCrossEntropyWithLogits(logits: outputs, targets: targets.to(outputs.dtype).reshape(outputs.shape))
        case .custom(_, let f): return f(outputs, targets)
        }
    }

    /// Checks that `labels` (a sample batch) fit this loss given the model's `outputs` for it; the error says
    /// which loss or label form to use instead.
    public func validate(outputs: Tensor, labels: Tensor) throws {
        switch self {
        case .crossEntropy:
            guard outputs.rank >= 2 else {
                throw TrainingError.labelMismatch("cross-entropy needs outputs [N, C] (one logit per class), the model gives \(outputs.shape); use .mse or .binaryCrossEntropyWithLogits for one output")
            }
            let classes = outputs.shape[1]
            if labels.dtype.isFloatingPoint {
                if labels.shape == outputs.shape { return }  // probability targets
                let values = labels.toArray(as: Double.self)
                if values.contains(where: { $0 != $0.rounded() }) {
                    throw TrainingError.labelMismatch("cross-entropy got non-integer float labels of shape \(labels.shape) (regression targets?); use .mse for regression, or int class indices [N] / probabilities [N, \(classes)]")
                }
            }
            guard labels.rank == outputs.rank - 1 else {
                throw TrainingError.labelMismatch("cross-entropy needs class indices [N] (or probabilities shaped like the outputs \(outputs.shape)), got labels \(labels.shape); for one-hot labels pass them as float probabilities")
            }
            let values = labels.toArray(as: Int64.self)
            if let bad = values.first(where: { $0 < 0 || $0 >= Int64(classes) }) {
                throw TrainingError.labelMismatch("label \(bad) is out of range for \(classes) classes (the model's output has \(classes) columns); labels must be 0..<\(classes)")
            }
        case .mse, .l1, .huber:
            guard labels.count == outputs.count else {
                throw TrainingError.labelMismatch("\(name) needs one target per output: outputs \(outputs.shape), labels \(labels.shape); for class labels use .crossEntropy")
            }
        case .binaryCrossEntropyWithLogits:
            guard labels.count == outputs.count else {
                throw TrainingError.labelMismatch("binary cross-entropy needs one 0/1 target per output: outputs \(outputs.shape), labels \(labels.shape); for more than two classes use .crossEntropy")
            }
            if labels.toArray(as: Double.self).contains(where: { $0 < 0 || $0 > 1 }) {
                throw TrainingError.labelMismatch("binary cross-entropy targets must lie in [0, 1]")
            }
        case .custom: return
        }
    }
}
