import TrainKitCore

/// How regression metrics report several outputs (`[N, k]` predictions): scikit-learn's `multioutput`.
public enum Multioutput: Sendable, Hashable {
    /// The mean of the per-output values, `(1/k) Σ_j v_j` (a scalar).
    case uniformAverage
    /// The per-output values as a float64 tensor `[k]` (`[1]` for `[N]` inputs).
    case rawValues

    /// Combines per-column values; before any sample, `nan` or an empty tensor.
    func combine(_ perColumn: [Double]) -> MetricValue {
        switch self {
        case .uniformAverage:
            return .scalar(perColumn.isEmpty ? .nan : perColumn.reduce(0, +) / Double(perColumn.count))
        case .rawValues:
            return .tensor(Tensor(perColumn, shape: [perColumn.count]))
        }
    }

    /// The suffix of a metric's name (`""` or `"_raw"`).
    var nameSuffix: String { self == .uniformAverage ? "" : "_raw" }
}
