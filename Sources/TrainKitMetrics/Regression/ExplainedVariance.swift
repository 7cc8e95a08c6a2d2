import TrainKitCore

/// Explained variance per output: `EV_j = 1 - Var(y_j - ŷ_j) / Var(y_j)` (population variances);
/// scikit-learn's `explained_variance_score`.
///
/// Unlike R², a constant offset in the predictions is not penalised: the residual's mean is removed.
/// Both variances are streamed as a running mean and `M2` per output (Chan's pairwise update). As
/// scikit-learn (`force_finite=True`): a zero residual variance gives 1, and a constant target column with a
/// non-zero residual variance gives 0. Before any sample: `nan`. Several outputs combine as `multioutput`
/// says (``Multioutput``).
///
/// Shapes: predictions and targets `[N]` or `[N, k]` (`[N, 1]` against `[N]` is accepted).
///
/// - Parameters:
///   - multioutput: `.uniformAverage` (mean over outputs) or `.rawValues` (tensor `[k]`).
///   - name: the reported name (default `"explained_variance"`, `"explained_variance_raw"` for raw values).
///
/// ```swift
/// var ev = ExplainedVariance()
/// ev.update(predictions: Tensor([2, 3, 5] as [Float]), targets: Tensor([1, 2, 3] as [Float]))
/// ev.compute()   // .scalar(0.6666…) = 1 - (2/9) / (2/3): residuals -1, -1, -2
/// ```
public struct ExplainedVariance: Metric {
    public let name: String
    /// How several outputs combine.
    public let multioutput: Multioutput
    var residual = ColumnMoments()
    var target = ColumnMoments()

    /// An explained-variance metric.
    public init(multioutput: Multioutput = .uniformAverage, name: String? = nil) {
        self.multioutput = multioutput
        self.name = name ?? "explained_variance" + multioutput.nameSuffix
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        let batch = RegressionBatch(predictions: predictions, targets: targets, metric: "ExplainedVariance")
        residual.add(batch.errors, metric: "ExplainedVariance")
        target.add(batch.truth, metric: "ExplainedVariance")
    }

    public func compute() -> MetricValue {
        // Var = M2 / N for both, so the N cancels.
        multioutput.combine(
            residual.m2.indices.map { finiteScore(numerator: residual.m2[$0], denominator: target.m2[$0]) })
    }

    public mutating func reset() {
        residual = ColumnMoments()
        target = ColumnMoments()
    }

    public mutating func merge(_ other: ExplainedVariance) {
        precondition(other.multioutput == multioutput, "ExplainedVariance.merge: configurations differ")
        residual.merge(other.residual, metric: "ExplainedVariance")
        target.merge(other.target, metric: "ExplainedVariance")
    }
}
