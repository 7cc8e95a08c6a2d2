import TrainKitCore

/// Mean squared error per output: `MSE_j = (1/N) Σ_i (y_ij - ŷ_ij)²`; scikit-learn's `mean_squared_error`.
///
/// Several outputs combine as `multioutput` says (``Multioutput``). Before any sample: `nan` (an empty
/// tensor for ``Multioutput/rawValues``).
///
/// Shapes: predictions and targets `[N]` or `[N, k]` (`[N, 1]` against `[N]` is accepted), any float or
/// integer dtype; accumulated in float64.
///
/// - Parameters:
///   - multioutput: `.uniformAverage` (mean over outputs) or `.rawValues` (tensor `[k]`).
///   - name: the reported name (default `"mse"`, `"mse_raw"` for raw values).
///
/// ```swift
/// var mse = MeanSquaredError()
/// mse.update(predictions: Tensor([1, 2, 4] as [Float]), targets: Tensor([1, 1, 2] as [Float]))
/// mse.compute()   // .scalar(1.6666…) = (0 + 1 + 4) / 3
/// ```
public struct MeanSquaredError: Metric {
    public let name: String
    /// How several outputs combine.
    public let multioutput: Multioutput
    var squared = ColumnSums()

    /// A mean-squared-error metric.
    public init(multioutput: Multioutput = .uniformAverage, name: String? = nil) {
        self.multioutput = multioutput
        self.name = name ?? "mse" + multioutput.nameSuffix
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        let batch = RegressionBatch(predictions: predictions, targets: targets, metric: "MeanSquaredError")
        squared.add(batch.errors.square(), metric: "MeanSquaredError")
    }

    public func compute() -> MetricValue { multioutput.combine(squared.means) }

    public mutating func reset() { squared = ColumnSums() }

    public mutating func merge(_ other: MeanSquaredError) {
        precondition(other.multioutput == multioutput, "MeanSquaredError.merge: configurations differ")
        squared.merge(other.squared, metric: "MeanSquaredError")
    }
}
