import Testing
import TrainKitCore
import TrainKitMetrics
import TrainKitTestSupport

/// Batch sizes the fixture data is streamed in, cycled until the data runs out; the 0 checks that an empty
/// batch changes nothing.
let unevenBatchSizes = [3, 0, 1, 7, 2, 5]

/// Feeds `predictions` and `targets` to `metric` row-block by row-block, in `sizes` cycled.
func stream<M: Metric>(_ metric: inout M, predictions: Tensor, targets: Tensor, sizes: [Int] = unevenBatchSizes) {
    let n = predictions.shape[0]
    var start = 0
    var step = 0
    while start < n {
        let length = Swift.min(sizes[step % sizes.count], n - start)
        metric.update(
            predictions: predictions.narrow(0, start: start, length: length),
            targets: targets.narrow(0, start: start, length: length))
        start += length
        step += 1
    }
}

/// The three ways a fixture is computed: one batch, uneven batches, and two shards merged.
func computeThreeWays<M: Metric>(
    _ fresh: M, predictions: Tensor, targets: Tensor
)
    -> [(how: String, value: MetricValue)]
{
    var whole = fresh
    whole.update(predictions: predictions, targets: targets)

    var streamed = fresh
    stream(&streamed, predictions: predictions, targets: targets)

    let n = predictions.shape[0]
    let cut = n / 3
    var first = fresh
    var second = fresh
    stream(
        &first, predictions: predictions.narrow(0, start: 0, length: cut),
        targets: targets.narrow(0, start: 0, length: cut))
    stream(
        &second, predictions: predictions.narrow(0, start: cut, length: n - cut),
        targets: targets.narrow(0, start: cut, length: n - cut), sizes: [4, 1])
    first.merge(second)

    return [("one batch", whole.compute()), ("uneven batches", streamed.compute()), ("merged shards", first.compute())]
}

/// The metric a scikit-learn fixture case describes, or nil for an unknown metric.
func metric(for fixture: FixtureCase) -> (any Metric)? {
    let metricName = fixture.raw["metric"] as? String ?? ""
    let multioutput: Multioutput = fixture.string("multioutput") == "raw_values" ? .rawValues : .uniformAverage
    func average() -> ClassAverage? {
        switch fixture.string("average") {
        case "binary": .binary(positiveLabel: fixture.int("pos_label") ?? 1)
        case "macro": .macro
        case "micro": .micro
        case "weighted": .weighted
        default: nil
        }
    }
    switch metricName {
    case "accuracy": return Accuracy(normalize: fixture.bool("normalize") ?? true)
    case "top_k_accuracy":
        return TopKAccuracy(k: fixture.int("k") ?? 1, normalize: fixture.bool("normalize") ?? true)
    case "precision": return average().map { Precision(average: $0) }
    case "recall": return average().map { Recall(average: $0) }
    case "f1": return average().map { F1Score(average: $0) }
    case "confusion_matrix": return ConfusionMatrix(labels: fixture.isNull("labels") ? nil : fixture.ints("labels"))
    case "roc_auc":
        if let multiClass = fixture.string("multi_class"), multiClass != "ovr" { return nil }
        switch fixture.string("average") {
        case nil, "macro": return ROCAUC(average: .macro)
        case "weighted": return ROCAUC(average: .weighted)
        default: return nil
        }
    case "log_loss": return LogLoss(normalize: fixture.bool("normalize") ?? true)
    case "mean_squared_error": return MeanSquaredError(multioutput: multioutput)
    case "root_mean_squared_error": return RootMeanSquaredError(multioutput: multioutput)
    case "mean_absolute_error": return MeanAbsoluteError(multioutput: multioutput)
    case "r2": return R2Score(multioutput: multioutput)
    case "explained_variance": return ExplainedVariance(multioutput: multioutput)
    default: return nil
    }
}

/// Why `actual` misses the case's `expected` (a number or a tensor), or nil. Integer results (counts,
/// confusion matrices) must match exactly; the rest within the case's tolerance.
func mismatch(_ actual: MetricValue, _ fixture: FixtureCase) -> String? {
    let exactCount =
        (fixture.raw["metric"] as? String).map { ["accuracy", "top_k_accuracy"].contains($0) } == true
        && fixture.bool("normalize") == false
    if let expected = fixture.tensor("expected", float64: true) {
        guard case .tensor(let tensor) = actual else { return "got \(actual), expected a tensor \(expected.shape)" }
        if expected.dtype == .int64 {
            guard tensor.dtype == .int64 else { return "dtype \(tensor.dtype), expected int64" }
            return exactFailure(tensor, expected)
        }
        return closenessFailure(tensor, expected, rtol: fixture.rtol, atol: fixture.atol)
    }
    guard let expected = (fixture.raw["expected"] as? Double) else { return "case has no expected value" }
    guard let value = actual.scalar else { return "got a tensor \(actual.tensor.shape), expected \(expected)" }
    if exactCount { return value == expected ? nil : "count \(value), expected exactly \(expected)" }
    let allowed = fixture.atol + fixture.rtol * Swift.abs(expected)
    return Swift.abs(value - expected) <= allowed
        ? nil : "actual \(value), expected \(expected), |diff| \(Swift.abs(value - expected)) > allowed \(allowed)"
}

/// Every scikit-learn case of `metrics.json`, computed in one batch, in uneven batches (with an empty one)
/// and as two merged shards; each must match the reference.
@Test func metrics() throws {
    let cases = try Fixtures.cases("metrics")
    #expect(!cases.isEmpty, "metrics.json has no cases")
    for fixture in cases {
        guard let fresh = metric(for: fixture) else {
            Issue.record("\(fixture.name): unsupported metric \(fixture.raw["metric"] ?? "?") with \(fixture.attrs)")
            continue
        }
        guard let targets = fixture.tensor("y_true"),
            let predictions = fixture.tensor("y_score") ?? fixture.tensor("y_pred")
        else {
            Issue.record("\(fixture.name): missing y_true or y_pred / y_score")
            continue
        }
        for (how, value) in computeThreeWays(fresh, predictions: predictions, targets: targets) {
            if let failure = mismatch(value, fixture) { Issue.record("\(fixture.name) (\(how)): \(failure)") }
        }
    }
}
