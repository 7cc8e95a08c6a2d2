import Foundation
import TrainKitCore

/// Root mean squared error per output: `RMSE_j = sqrt((1/N) Σ_i (y_ij - ŷ_ij)²)`; scikit-learn's
/// `root_mean_squared_error`.
///
/// Several outputs combine as `multioutput` says (``Multioutput``); as in scikit-learn the uniform average
/// is the mean of the per-output roots, `(1/k) Σ_j RMSE_j`, not the root of the averaged MSE. Before any
/// sample: `nan` (an empty tensor for ``Multioutput/rawValues``).
///
/// Shapes: predictions and targets `[N]` or `[N, k]` (`[N, 1]` against `[N]` is accepted).
///
/// - Parameters:
///   - multioutput: `.uniformAverage` (mean over outputs) or `.rawValues` (tensor `[k]`).
///   - name: the reported name (default `"rmse"`, `"rmse_raw"` for raw values).
///
/// ```swift
/// var rmse = RootMeanSquaredError()
/// rmse.update(predictions: Tensor([1, 2, 4] as [Float]), targets: Tensor([1, 1, 2] as [Float]))
/// rmse.compute()   // .scalar(1.2909…) = sqrt(5 / 3)
/// ```
public struct RootMeanSquaredError: Metric {
    public let name: String
    /// How several outputs combine.
    public let multioutput: Multioutput
    var squared = ColumnSums()

    /// A root-mean-squared-error metric.
    public init(multioutput: Multioutput = .uniformAverage, name: String? = nil) {
        self.multioutput = multioutput
        self.name = name ?? "rmse" + multioutput.nameSuffix
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        let batch = RegressionBatch(predictions: predictions, targets: targets, metric: "RootMeanSquaredError")
        squared.add(batch.errors.square(), metric: "RootMeanSquaredError")
    }

    public func compute() -> MetricValue { multioutput.combine(squared.means.map { $0.squareRoot() }) }

    public mutating func reset() { squared = ColumnSums() }

    public mutating func merge(_ other: RootMeanSquaredError) {
        precondition(other.multioutput == multioutput, "RootMeanSquaredError.merge: configurations differ")
        squared.merge(other.squared, metric: "RootMeanSquaredError")
    }
}
