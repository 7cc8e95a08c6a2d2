import TrainKitCore

/// Log loss (cross-entropy of predicted probabilities), natural log.
///
/// `L = -(1/N) Σ_i log p_i[y_i]`, or the sum `-Σ_i log p_i[y_i]` with `normalize: false`; scikit-learn's
/// `log_loss`. Probabilities are clipped to `[ε, 1 - ε]`, `ε` the machine epsilon of the predictions' dtype
/// (`2⁻²³` for float32, `2⁻⁵²` for float64), as scikit-learn does; rows are **not** renormalised.
/// With `fromLogits: true` the predictions are logits and the loss is the exact log-softmax
/// `-(z_y - log Σ_c exp z_c)` (binary: `softplus(-z)` for label 1, `softplus(z)` for label 0), unclipped.
/// Before any sample: `nan` (normalized) or `0` (sum).
///
/// Shapes: predictions `[N, C]` with `C >= 2` (class probabilities, or logits) and targets labels `[N]`
/// in `0..<C` (or one-hot `[N, C]`); or binary predictions `[N]` / `[N, 1]` holding `P(label = 1)` (or its
/// logit) with targets in `{0, 1}`.
///
/// - Parameters:
///   - normalize: `true` for the mean over samples, `false` for the sum.
///   - fromLogits: whether predictions are logits rather than probabilities.
///   - name: the reported name (default `"log_loss"`).
///
/// ```swift
/// var loss = LogLoss()
/// loss.update(predictions: Tensor([0.9, 0.2] as [Float]), targets: Tensor([1, 0]))
/// loss.compute()   // .scalar(0.1643…) = -(log 0.9 + log 0.8) / 2
/// ```
public struct LogLoss: Metric {
    public let name: String
    /// Whether ``compute()`` gives the mean (true) or the sum (false).
    public let normalize: Bool
    /// Whether predictions are logits rather than probabilities.
    public let fromLogits: Bool
    /// `Σ -log p_i[y_i]` so far.
    public private(set) var sum = 0.0
    /// Samples seen so far.
    public private(set) var total = 0

    /// A log-loss metric over probabilities (or logits with `fromLogits`).
    public init(normalize: Bool = true, fromLogits: Bool = false, name: String? = nil) {
        self.normalize = normalize
        self.fromLogits = fromLogits
        self.name = name ?? "log_loss"
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        precondition(
            predictions.rank == 1 || predictions.rank == 2,
            "LogLoss: predictions must be [N] or [N, C], got \(predictions.shape)")
        let n = predictions.shape[0]
        let c = predictions.rank == 2 ? predictions.shape[1] : 1
        let truth = ClassLabels.targets(targets, metric: "LogLoss")
        precondition(
            truth.count == n,
            "LogLoss: predictions \(predictions.shape) and targets \(targets.shape) hold different sample counts")
        for label in truth {
            if c == 1 {
                precondition(label == 0 || label == 1, "LogLoss: binary scores need labels 0 or 1, got \(label)")
            } else {
                precondition(label >= 0 && label < c, "LogLoss: label \(label) out of range for \(c) classes")
            }
        }
        guard n > 0 else { return }
        // Per-sample losses as tensor ops on the predictions' device; only the batch sum comes to the host.
        let eps: Double
        switch predictions.dtype {
        case .float32: eps = Double(Float.ulpOfOne)
        case .float64, .int32, .int64, .bool: eps = Double.ulpOfOne  // integer scores are exact in float64
        }
        let scores = predictions.detach().to(.float64)
        let losses: Tensor
        if c == 1 {
            let z = scores.reshape([n])
            let positive = Tensor(truth.map { $0 == 1 }, shape: [n], device: z.device)
            if fromLogits {
                losses = Self.softplus(Tensor.where(positive, -z, z))
            } else {
                losses = -Tensor.where(positive, z, 1 - z).clamp(min: eps, max: 1 - eps).log()
            }
        } else {
            let labels = Tensor(truth, shape: [n, 1], device: scores.device)
            let picked = scores.gather(1, labels).reshape([n])
            losses = fromLogits ? scores.logsumexp([1]) - picked : -picked.clamp(min: eps, max: 1 - eps).log()
        }
        let batch = losses.sum().item()
        sum += batch
        total += n
    }

    public func compute() -> MetricValue {
        guard normalize else { return .scalar(sum) }
        return .scalar(total == 0 ? .nan : sum / Double(total))
    }

    public mutating func reset() { (sum, total) = (0, 0) }

    public mutating func merge(_ other: LogLoss) {
        precondition(
            other.normalize == normalize && other.fromLogits == fromLogits, "LogLoss.merge: configurations differ")
        sum += other.sum
        total += other.total
    }

    /// `log(1 + eˣ)` without overflow: `max(x, 0) + log1p(e^-|x|)`, element-wise.
    static func softplus(_ x: Tensor) -> Tensor { x.relu() + (-x.abs()).softplus(threshold: .infinity) }
}
