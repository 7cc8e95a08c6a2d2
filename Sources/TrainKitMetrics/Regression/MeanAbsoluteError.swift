import TrainKitCore

/// Mean absolute error per output: `MAE_j = (1/N) Σ_i |y_ij - ŷ_ij|`; scikit-learn's `mean_absolute_error`.
///
/// Several outputs combine as `multioutput` says (``Multioutput``). Before any sample: `nan` (an empty
/// tensor for ``Multioutput/rawValues``).
///
/// Shapes: predictions and targets `[N]` or `[N, k]` (`[N, 1]` against `[N]` is accepted).
///
/// - Parameters:
///   - multioutput: `.uniformAverage` (mean over outputs) or `.rawValues` (tensor `[k]`).
///   - name: the reported name (default `"mae"`, `"mae_raw"` for raw values).
///
/// ```swift
/// var mae = MeanAbsoluteError()
/// mae.update(predictions: Tensor([1, 2, 4] as [Float]), targets: Tensor([1, 1, 2] as [Float]))
/// mae.compute()   // .scalar(1.0) = (0 + 1 + 2) / 3
/// ```
public struct MeanAbsoluteError: Metric {
    public let name: String
    /// How several outputs combine.
    public let multioutput: Multioutput
    var absolute = ColumnSums()

    /// A mean-absolute-error metric.
    public init(multioutput: Multioutput = .uniformAverage, name: String? = nil) {
        self.multioutput = multioutput
        self.name = name ?? "mae" + multioutput.nameSuffix
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        let batch = RegressionBatch(predictions: predictions, targets: targets, metric: "MeanAbsoluteError")
        absolute.add(batch.errors.abs(), metric: "MeanAbsoluteError")
    }

    public func compute() -> MetricValue { multioutput.combine(absolute.means) }

    public mutating func reset() { absolute = ColumnSums() }

    public mutating func merge(_ other: MeanAbsoluteError) {
        precondition(other.multioutput == multioutput, "MeanAbsoluteError.merge: configurations differ")
        absolute.merge(other.absolute, metric: "MeanAbsoluteError")
    }
}
