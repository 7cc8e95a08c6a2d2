import TrainKitCore

/// A regression batch as float64 `[rows, columns]` tensors of predictions and targets, on the predictions'
/// device: the metrics reduce them with tensor ops and bring only per-column sums to the host.
///
/// Predictions and targets have the same shape `[N]` (one output) or `[N, k]` (k outputs); `[N]` against
/// `[N, 1]` is accepted either way round (a one-output model's `[N, 1]` beside `[N]` targets). A 0-d
/// pair is one sample.
struct RegressionBatch {
    let rows: Int
    let columns: Int
    /// `ŷ`, float64 `[rows, columns]`.
    let predicted: Tensor
    /// `y`, float64 `[rows, columns]`.
    let truth: Tensor

    init(predictions: Tensor, targets: Tensor, metric: String) {
        func matrixShape(_ t: Tensor) -> [Int]? {
            switch t.rank {
            case 0: [1, 1]
            case 1: [t.shape[0], 1]
            case 2: t.shape
            default: nil
            }
        }
        let p = matrixShape(predictions)
        let t = matrixShape(targets)
        precondition(
            p != nil && p == t && (predictions.shape == targets.shape || p![1] == 1),
            "\(metric): predictions \(predictions.shape) and targets \(targets.shape) must match, [N] or [N, k]"
        )
        rows = p![0]
        columns = p![1]
        predicted = predictions.detach().to(.float64).reshape(p!)
        truth = targets.detach().to(device: predictions.device).to(.float64).reshape(p!)
    }

    /// `y - ŷ`, `[rows, columns]`.
    var errors: Tensor { truth - predicted }
}
