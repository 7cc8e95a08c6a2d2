import TrainKitCore

/// Reads class labels out of prediction and target tensors, the same way for every classification metric.
///
/// Predictions:
/// - integer or bool `[N]` (or `[N, 1]`): the labels themselves;
/// - float `[N, C]` with `C >= 2` (logits or probabilities): the arg-max of each row (the first maximum on ties);
/// - float `[N]` or `[N, 1]`: a binary score, label `score > threshold ? 1 : 0`.
///
/// Targets:
/// - integer, bool or integral float `[N]` (or `[N, 1]`): the labels;
/// - `[N, C]` with `C >= 2` (one-hot or class probabilities): the arg-max of each row.
enum ClassLabels {
    /// The predicted label of each sample.
    static func predicted(_ predictions: Tensor, threshold: Double, metric: String) -> [Int] {
        precondition(predictions.rank <= 2, "\(metric): predictions must be [N] or [N, C], got \(predictions.shape)")
        if predictions.rank == 2 && predictions.shape[1] >= 2 { return rowArgmax(predictions) }
        if predictions.dtype.isFloatingPoint {
            return (predictions.detach() .> threshold).toArray(as: Int64.self).map { Int($0) }
        }
        return predictions.toArray(as: Int64.self).map { Int($0) }
    }

    /// The true label of each sample.
    static func targets(_ targets: Tensor, metric: String) -> [Int] {
        precondition(targets.rank <= 2, "\(metric): targets must be [N] or [N, C], got \(targets.shape)")
        if targets.rank == 2 && targets.shape[1] >= 2 { return rowArgmax(targets) }
        if targets.dtype.isFloatingPoint {
            return targets.toArray(as: Double.self).map { value in
                precondition(
                    value == value.rounded() && abs(value) < 1e15,
                    "\(metric): float target \(value) is not a class label")
                return Int(value)
            }
        }
        return targets.toArray(as: Int64.self).map { Int($0) }
    }

    /// Labels of `predictions` and `targets`, checked to be one per sample.
    static func pair(
        predictions: Tensor, targets: Tensor, threshold: Double, metric: String
    )
        -> (predicted: [Int], truth: [Int])
    {
        let predicted = Self.predicted(predictions, threshold: threshold, metric: metric)
        let truth = Self.targets(targets, metric: metric)
        precondition(
            predicted.count == truth.count,
            "\(metric): predictions \(predictions.shape) and targets \(targets.shape) hold different sample counts")
        return (predicted, truth)
    }

    /// The number of samples (rows) of a `[N]` or `[N, ...]` tensor.
    static func rows(_ tensor: Tensor) -> Int { tensor.rank == 0 ? 1 : tensor.shape[0] }

    /// The index of the first maximum of each row of a `[N, C]` tensor (a NaN counts as the maximum): an
    /// `argmax` on the tensor's device, so only the `N` labels come to the host.
    static func rowArgmax(_ scores: Tensor) -> [Int] {
        let x = scores.detach()
        return (x.dtype.isFloatingPoint ? x : x.to(.float64)).argmax(1).toArray(as: Int64.self).map { Int($0) }
    }
}
