import TrainKitCore

/// A streaming evaluation metric: fed batch by batch, read at the end.
///
/// A metric is a value: ``update(predictions:targets:)`` folds one batch into its running state,
/// ``compute()`` reads the metric over every sample seen since the last ``reset()``, and
/// ``merge(_:)`` folds in the state of another metric of the same kind and configuration (for example
/// one that ran over another shard of the data). Feeding the data in any number of batches of any sizes,
/// or in shards that are merged, gives the same value as one batch holding everything (up to float
/// rounding in the last digits for the sums of regression metrics and log loss; integer counts are exact).
///
/// Every state is accumulated in `Double` (or `Int` for counts), whatever the input dtype. Inputs are
/// not differentiated: metrics read tensor values and never record on the tape.
///
/// **Empty input.** An update with zero samples changes nothing. ``compute()`` before any sample returns
/// `nan` for every rate or mean (accuracy, precision, ROC-AUC, log loss, MSE, R², …); `0` for counts and
/// sums (`Accuracy(normalize: false)`, `TopKAccuracy(normalize: false)`, `LogLoss(normalize: false)`); an
/// empty tensor `[0]` for per-class and per-output values; and a `[0, 0]` confusion matrix, or an all-zero
/// `[L, L]` one when the labels are given.
///
/// ```swift
/// var accuracy = Accuracy()
/// for (x, y) in batches { accuracy.update(predictions: model(x), targets: y) }
/// print(accuracy.compute())   // 0.987
/// ```
public protocol Metric: Sendable {
    /// The key the metric is reported under (`"accuracy"`, `"f1_macro"`, `"mse"`, …).
    var name: String { get }

    /// Folds one batch into the running state. Shapes depend on the metric (see each type);
    /// a mismatch is a programmer error stopped by a `precondition` naming the metric and the shapes.
    mutating func update(predictions: Tensor, targets: Tensor)

    /// The metric over every sample seen since the last ``reset()``.
    func compute() -> MetricValue

    /// Forgets every sample seen; the configuration (averaging, labels, `k`, …) stays.
    mutating func reset()

    /// Folds in the running state of `other`, which must have the same configuration.
    mutating func merge(_ other: Self)
}
