/// Why training stopped with an error. Each case says where (epoch, batch) and what.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss or a gradient became NaN or infinite. `what` is `"loss"` or `"gradient of <parameter>"`.
    case nonFinite(epoch: Int, batch: Int, what: String, value: Double)
    /// The labels do not fit the loss (class indices vs one-hot vs regression targets, a label out of range).
    case labelMismatch(String)
    /// An argument of `fit` / `evaluate` / `predict` is unusable.
    case invalidArgument(String)
    /// A checkpoint could not be read or does not fit this model / optimizer.
    case checkpoint(String)

    public var description: String {
        switch self {
        case .nonFinite(let epoch, let batch, let what, let value):
            "non-finite \(what) (\(value)) at epoch \(epoch + 1), batch \(batch + 1): training stopped; lower the learning rate, clip gradients or check the data"
        case .labelMismatch(let message): "labels do not fit the loss: \(message)"
        case .invalidArgument(let message): message
        case .checkpoint(let message): "checkpoint: \(message)"
        }
    }
}
