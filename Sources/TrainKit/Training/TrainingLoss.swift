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
        // Non-integer float labels are named before their shape: they are most often regression targets.
        if case .crossEntropy = self, outputs.rank >= 2, labels.dtype.isFloatingPoint, labels.shape != outputs.shape {
            try Self.requireWholeNumbers(labels, classes: outputs.shape[1])
        }
        try validateForm(outputs: outputs, labels: labels)
        try validateValues(labels, outputs: outputs)
    }

    /// The shape and dtype checks of ``validate(outputs:labels:)`` (no element is read).
    func validateForm(outputs: Tensor, labels: Tensor) throws {
        switch self {
        case .crossEntropy:
            guard outputs.rank >= 2 else {
                throw TrainingError.labelMismatch("cross-entropy needs outputs [N, C] (one logit per class), the model gives \(outputs.shape); use .mse or .binaryCrossEntropyWithLogits for one output")
            }
            if labels.dtype.isFloatingPoint && labels.shape == outputs.shape { return }  // probability targets
            guard labels.rank == outputs.rank - 1 else {
                throw TrainingError.labelMismatch("cross-entropy needs class indices [N] (or probabilities shaped like the outputs \(outputs.shape)), got labels \(labels.shape); for one-hot labels pass them as float probabilities")
            }
        case .mse, .l1, .huber:
            guard labels.count == outputs.count else {
                throw TrainingError.labelMismatch("\(name) needs one target per output: outputs \(outputs.shape), labels \(labels.shape); for class labels use .crossEntropy")
            }
        case .binaryCrossEntropyWithLogits:
            guard labels.count == outputs.count else {
                throw TrainingError.labelMismatch("binary cross-entropy needs one 0/1 target per output: outputs \(outputs.shape), labels \(labels.shape); for more than two classes use .crossEntropy")
            }
        case .custom: return
        }
    }

    /// The value checks of ``validate(outputs:labels:)`` over `labels`, which may hold a whole dataset's labels
    /// (`[count, ...]`); `outputs` is the model's output for a sample batch. Cross-entropy class indices must
    /// be whole numbers in `0..<C`, binary cross-entropy targets in `[0, 1]`.
    ///
    /// The test runs on the device; one count is read back, and the labels only when one is wrong (to name the
    /// first).
    func validateValues(_ labels: Tensor, outputs: Tensor) throws {
        func firstWrong(_ isWrong: Tensor) -> Double? { Self.firstWrong(labels, isWrong) }
        switch self {
        case .crossEntropy:
            guard outputs.rank >= 2 else { return }
            let classes = outputs.shape[1]
            if labels.dtype.isFloatingPoint {
                if Array(labels.shape.dropFirst()) == Array(outputs.shape.dropFirst()) { return }  // probabilities
                try Self.requireWholeNumbers(labels, classes: classes)
            }
            if let bad = firstWrong((labels .< 0) .| (labels .>= classes)) {
                throw TrainingError.labelMismatch("label \(Int64(bad)) is out of range for \(classes) classes (the model's output has \(classes) columns); labels must be 0..<\(classes)")
            }
        case .binaryCrossEntropyWithLogits:
            if firstWrong((labels .< 0) .| (labels .> 1)) != nil {
                throw TrainingError.labelMismatch("binary cross-entropy targets must lie in [0, 1]")
            }
        case .mse, .l1, .huber, .custom: return
        }
    }

    /// The first element of `labels` where `isWrong` (bool, same shape) is true, or nil: one count is read
    /// back, and the labels only when one is wrong.
    static func firstWrong(_ labels: Tensor, _ isWrong: Tensor) -> Double? {
        guard isWrong.to(.float64).sum().item() > 0 else { return nil }
        let flags = isWrong.toArray(as: Float.self)
        return flags.firstIndex(of: 1).map { labels.reshape([-1]).toArray(as: Double.self)[$0] }
    }

    /// Stops unless every float label is a whole number (a class index).
    static func requireWholeNumbers(_ labels: Tensor, classes: Int) throws {
        // A whole number survives the round trip through int64 (NaN and ±∞ do not).
        guard firstWrong(labels, labels.to(.int64).to(labels.dtype) .!= labels) == nil else {
            throw TrainingError.labelMismatch("cross-entropy got non-integer float labels of shape \(labels.shape) (regression targets?); use .mse for regression, or int class indices [N] / probabilities [N, \(classes)]")
        }
    }
}
