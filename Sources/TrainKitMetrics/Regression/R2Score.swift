import TrainKitCore

/// Coefficient of determination per output: `R²_j = 1 - Σ_i (y_ij - ŷ_ij)² / Σ_i (y_ij - ȳ_j)²`;
/// scikit-learn's `r2_score`.
///
/// The total sum of squares is streamed as a running mean and `M2` per output (Chan's pairwise update),
/// so batches do not lose precision to `Σy² - (Σy)²/N`. As scikit-learn (`force_finite=True`): a zero
/// residual sum gives 1, and a constant target column (zero total sum) with a non-zero residual gives 0.
/// Fewer than two samples give `nan` (scikit-learn: "not well-defined"). Several outputs combine as
/// `multioutput` says (``Multioutput``).
///
/// Shapes: predictions and targets `[N]` or `[N, k]` (`[N, 1]` against `[N]` is accepted).
///
/// - Parameters:
///   - multioutput: `.uniformAverage` (mean over outputs) or `.rawValues` (tensor `[k]`).
///   - name: the reported name (default `"r2"`, `"r2_raw"` for raw values).
///
/// ```swift
/// var r2 = R2Score()
/// r2.update(predictions: Tensor([1, 2, 4] as [Float]), targets: Tensor([1, 2, 3] as [Float]))
/// r2.compute()   // .scalar(0.5) = 1 - 1 / 2
/// ```
public struct R2Score: Metric {
    public let name: String
    /// How several outputs combine.
    public let multioutput: Multioutput
    var residual = ColumnSums()
    var target = ColumnMoments()

    /// An R² metric.
    public init(multioutput: Multioutput = .uniformAverage, name: String? = nil) {
        self.multioutput = multioutput
        self.name = name ?? "r2" + multioutput.nameSuffix
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        let batch = RegressionBatch(predictions: predictions, targets: targets, metric: "R2Score")
        residual.add(batch.errors.square(), metric: "R2Score")
        target.add(batch.truth, metric: "R2Score")
    }

    public func compute() -> MetricValue {
        let values = residual.sums.indices.map { j in
            residual.count < 2 ? .nan : finiteScore(numerator: residual.sums[j], denominator: target.m2[j])
        }
        return multioutput.combine(values)
    }

    public mutating func reset() {
        residual = ColumnSums()
        target = ColumnMoments()
    }

    public mutating func merge(_ other: R2Score) {
        precondition(other.multioutput == multioutput, "R2Score.merge: configurations differ")
        residual.merge(other.residual, metric: "R2Score")
        target.merge(other.target, metric: "R2Score")
    }
}

/// `1 - numerator / denominator` with scikit-learn's `force_finite` rules: 1 when the numerator is 0,
/// 0 when only the denominator is 0.
func finiteScore(numerator: Double, denominator: Double) -> Double {
    if numerator == 0 { return 1 }
    if denominator == 0 { return 0 }
    return 1 - numerator / denominator
}
