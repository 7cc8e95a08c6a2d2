import TrainKitCore

/// What a ``Metric`` computes: one number, or a tensor (a confusion matrix, per-class or per-output values).
public enum MetricValue: Sendable, CustomStringConvertible {
    /// A single number (accuracy, an averaged F1, a uniform-average MSE, …).
    case scalar(Double)
    /// A tensor: int64 `[L, L]` for a confusion matrix, float64 `[C]` or `[k]` for per-class or
    /// per-output (`raw_values`) results.
    case tensor(Tensor)

    /// The number, or nil for a tensor result.
    public var scalar: Double? {
        if case .scalar(let value) = self { return value }
        return nil
    }

    /// The value as a tensor: a scalar becomes a 0-d float64 tensor.
    public var tensor: Tensor {
        switch self {
        case .scalar(let value): return Tensor(scalar: value, dtype: .float64)
        case .tensor(let tensor): return tensor
        }
    }

    public var description: String {
        switch self {
        case .scalar(let value): return "\(value)"
        case .tensor(let tensor): return "\(tensor)"
        }
    }
}
