import TrainKitCore

/// A regression batch read as `[rows, columns]` float64 predictions and targets.
///
/// Predictions and targets have the same shape `[N]` (one output) or `[N, k]` (k outputs); `[N]` against
/// `[N, 1]` is accepted either way round (a one-output model's `[N, 1]` beside `[N]` targets). A 0-d
/// pair is one sample.
struct RegressionBatch {
    let rows: Int
    let columns: Int
    let predicted: [Double]
    let truth: [Double]

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
        predicted = predictions.toArray(as: Double.self)
        truth = targets.toArray(as: Double.self)
    }

    /// `f(ŷ, y)` for every element, row-major.
    func map(_ f: (Double, Double) -> Double) -> [Double] { (0..<predicted.count).map { f(predicted[$0], truth[$0]) } }
}
