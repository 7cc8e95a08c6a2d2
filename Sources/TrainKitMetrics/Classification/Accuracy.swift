import TrainKitCore

/// Classification accuracy: the fraction (or number) of samples whose predicted label is the true one.
///
/// `accuracy = (1/N) Σ_i [ŷ_i = y_i]`, or the count `Σ_i [ŷ_i = y_i]` with `normalize: false`;
/// scikit-learn's `accuracy_score`. Before any sample: `nan` (normalized) or `0` (count).
///
/// Shapes: predictions are labels `[N]`, scores `[N, C]` (the arg-max of each row is the prediction), or
/// float binary scores `[N]` / `[N, 1]` (label `score > threshold ? 1 : 0`); targets are labels `[N]`
/// or one-hot `[N, C]`.
///
/// - Parameters:
///   - normalize: `true` for the fraction, `false` for the count of correct samples.
///   - threshold: the cut-off for float binary scores (0.5 for probabilities, 0 for logits).
///   - name: the reported name (default `"accuracy"`, or `"correct"` for the count).
///
/// ```swift
/// var accuracy = Accuracy()
/// accuracy.update(predictions: Tensor([0.1, 0.9, 0.8, 0.3, 0.6, 0.4] as [Float], shape: [3, 2]),
///                 targets: Tensor([1, 0, 1]))
/// accuracy.compute()   // .scalar(0.6666…): rows predict 1, 0, 0
/// ```
public struct Accuracy: Metric {
    public let name: String
    /// Whether ``compute()`` gives the fraction (true) or the count (false).
    public let normalize: Bool
    /// The cut-off for float binary scores.
    public let threshold: Double
    /// Correctly predicted samples so far.
    public private(set) var correct = 0
    /// Samples seen so far.
    public private(set) var total = 0

    /// An accuracy metric; see the type for the parameters.
    public init(normalize: Bool = true, threshold: Double = 0.5, name: String? = nil) {
        self.normalize = normalize
        self.threshold = threshold
        self.name = name ?? (normalize ? "accuracy" : "correct")
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        let labels = ClassLabels.pair(
            predictions: predictions, targets: targets, threshold: threshold,
            metric: "Accuracy")
        for i in labels.truth.indices where labels.truth[i] == labels.predicted[i] { correct += 1 }
        total += labels.truth.count
    }

    public func compute() -> MetricValue {
        guard normalize else { return .scalar(Double(correct)) }
        return .scalar(total == 0 ? .nan : Double(correct) / Double(total))
    }

    public mutating func reset() { (correct, total) = (0, 0) }

    public mutating func merge(_ other: Accuracy) {
        precondition(
            other.normalize == normalize && other.threshold == threshold,
            "Accuracy.merge: configurations differ")
        correct += other.correct
        total += other.total
    }
}
