import TrainKitCore

/// F1 score: the harmonic mean of precision and recall.
///
/// `f1_c = 2·tp_c / (2·tp_c + fp_c + fn_c) = 2·P_c·R_c / (P_c + R_c)` per class, combined over classes as
/// `average` says (``ClassAverage``); scikit-learn's `f1_score`.
/// A zero denominator counts as 0. Before any sample the value is `nan` (an empty tensor for
/// ``ClassAverage/perClass``).
///
/// Shapes: predictions are labels `[N]`, scores `[N, C]` (the arg-max of each row is the prediction), or
/// float binary scores `[N]` / `[N, 1]` (label `score > threshold ? 1 : 0`); targets are labels `[N]`
/// or one-hot `[N, C]`.
///
/// - Parameters:
///   - average: how per-class scores combine: `.binary` (positive label 1), `.binary(positiveLabel:)`,
///     `.micro`, `.macro`, `.weighted` or `.perClass`.
///   - threshold: the cut-off for float binary scores (0.5 for probabilities, 0 for logits).
///   - name: the reported name; default `"f1"` plus the averaging (`"f1_macro"`).
///
/// ```swift
/// var metric = F1Score(average: .macro)
/// metric.update(predictions: Tensor([0, 2, 1, 1]), targets: Tensor([0, 1, 1, 2]))
/// metric.compute()   // .scalar(0.5): classes 0, 1, 2 score 1, 0.5, 0
/// ```
public struct F1Score: ClassScoreMetric {
    public let name: String
    /// How per-class scores combine.
    public let average: ClassAverage
    /// The cut-off for float binary scores.
    public let threshold: Double
    /// The (true, predicted) counts so far.
    public internal(set) var counts = ConfusionCounts()

    /// An F1 metric averaged as `average`.
    public init(average: ClassAverage, threshold: Double = 0.5, name: String? = nil) {
        self.average = average
        self.threshold = threshold
        self.name = name ?? "f1" + average.nameSuffix
    }

    static var score: ClassScore { .f1 }
}
