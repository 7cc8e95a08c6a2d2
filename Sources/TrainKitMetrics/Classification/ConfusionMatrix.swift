import TrainKitCore

/// The confusion matrix: `M[i][j]` counts samples of true label `labels[i]` predicted as `labels[j]`.
///
/// `M_ij = Σ_n [y_n = labels_i ∧ ŷ_n = labels_j]`; rows are true labels, columns predicted ones, as in
/// scikit-learn's `confusion_matrix`. With `labels: nil` the labels are the sorted union of every true and
/// predicted label seen; with explicit labels that order is used, labels never seen give zero rows and
/// columns, and samples whose true or predicted label is not listed are left out.
///
/// Value: an int64 tensor `[L, L]` (``MetricValue/tensor(_:)``). Before any sample: `[0, 0]` with
/// `labels: nil`, all zeros `[L, L]` with explicit labels.
///
/// Shapes: predictions are labels `[N]`, scores `[N, C]` (arg-max), or float binary scores `[N]` / `[N, 1]`
/// (label `score > threshold ? 1 : 0`); targets are labels `[N]` or one-hot `[N, C]`.
///
/// - Parameters:
///   - labels: the label order of rows and columns, or nil for the sorted labels seen.
///   - threshold: the cut-off for float binary scores.
///   - name: the reported name (default `"confusion_matrix"`).
///
/// ```swift
/// var matrix = ConfusionMatrix(labels: [1, 0])
/// matrix.update(predictions: Tensor([0, 1, 1]), targets: Tensor([1, 1, 0]))
/// matrix.compute()   // [[1, 1], [1, 0]]: rows are true 1, 0; columns predicted 1, 0
/// ```
public struct ConfusionMatrix: Metric {
    public let name: String
    /// The label order of rows and columns, or nil for the sorted labels seen.
    public let labels: [Int]?
    /// The cut-off for float binary scores.
    public let threshold: Double
    /// The (true, predicted) counts so far.
    public private(set) var counts = ConfusionCounts()

    /// A confusion matrix over `labels` (nil: the sorted labels seen).
    public init(labels: [Int]? = nil, threshold: Double = 0.5, name: String? = nil) {
        if let labels {
            precondition(Set(labels).count == labels.count, "ConfusionMatrix: repeated label in \(labels)")
        }
        self.labels = labels
        self.threshold = threshold
        self.name = name ?? "confusion_matrix"
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        let pair = ClassLabels.pair(
            predictions: predictions, targets: targets, threshold: threshold,
            metric: "ConfusionMatrix")
        counts.add(truth: pair.truth, predicted: pair.predicted)
    }

    /// The labels of rows and columns, in order.
    public var resolvedLabels: [Int] { labels ?? counts.labels }

    public func compute() -> MetricValue {
        let order = resolvedLabels
        let matrix = counts.matrix(labels: order).map { Int64($0) }
        return .tensor(Tensor(matrix, shape: [order.count, order.count]))
    }

    public mutating func reset() { counts = ConfusionCounts() }

    public mutating func merge(_ other: ConfusionMatrix) {
        precondition(
            other.labels == labels && other.threshold == threshold, "ConfusionMatrix.merge: configurations differ")
        counts.merge(other.counts)
    }
}
