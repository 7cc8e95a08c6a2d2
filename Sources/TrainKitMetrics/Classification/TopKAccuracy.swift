import TrainKitCore

/// Top-k accuracy: the fraction (or number) of samples whose true class is among the `k` highest scores.
///
/// `top_k = (1/N) Σ_i [rank_i(y_i) < k]`, where `rank_i(c)` is the position of class `c` when row `i` is
/// sorted by decreasing score; scikit-learn's `top_k_accuracy_score`. Ties rank as scikit-learn's stable
/// sort leaves them: among equal scores the higher class index comes first, so
/// `rank_i(c) = #{j : s_ij > s_ic} + #{j > c : s_ij = s_ic}`. With `k >= C` every sample is a hit.
/// Before any sample: `nan` (normalized) or `0` (count).
///
/// Shapes: predictions `[N, C]` scores (logits or probabilities); targets labels `[N]` in `0..<C`
/// (or one-hot `[N, C]`).
///
/// - Parameters:
///   - k: how many of the highest-scored classes count as a hit (`k >= 1`).
///   - normalize: `true` for the fraction, `false` for the count of hits.
///   - name: the reported name (default `"top_<k>_accuracy"`).
///
/// ```swift
/// var top2 = TopKAccuracy(k: 2)
/// top2.update(predictions: Tensor([0.5, 0.3, 0.2, 0.1, 0.2, 0.7] as [Float], shape: [2, 3]),
///             targets: Tensor([1, 0]))
/// top2.compute()   // .scalar(0.5): class 1 ranks second in row 0, class 0 third in row 1
/// ```
public struct TopKAccuracy: Metric {
    public let name: String
    /// The number of highest-scored classes that count as a hit.
    public let k: Int
    /// Whether ``compute()`` gives the fraction (true) or the count (false).
    public let normalize: Bool
    /// Hits so far.
    public private(set) var hits = 0
    /// Samples seen so far.
    public private(set) var total = 0

    /// A top-`k` accuracy metric.
    public init(k: Int, normalize: Bool = true, name: String? = nil) {
        precondition(k >= 1, "TopKAccuracy: k must be at least 1, got \(k)")
        self.k = k
        self.normalize = normalize
        self.name = name ?? "top_\(k)_accuracy"
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        precondition(predictions.rank == 2, "TopKAccuracy: predictions must be scores [N, C], got \(predictions.shape)")
        let n = predictions.shape[0]
        let c = predictions.shape[1]
        let truth = ClassLabels.targets(targets, metric: "TopKAccuracy")
        precondition(
            truth.count == n,
            "TopKAccuracy: predictions \(predictions.shape) and targets \(targets.shape) hold different sample counts")
        for label in truth {
            precondition(label >= 0 && label < c, "TopKAccuracy: label \(label) out of range for \(c) classes")
        }
        // The rank of the true class's score in its row, as tensor ops: rank = #{j : s_j > s_y, or s_j = s_y
        // and j > y}; a hit when rank < k. Only the hit count comes to the host.
        if n > 0 {
            let scores = predictions.detach().to(.float64)
            let labels = Tensor(truth, shape: [n, 1], device: scores.device)
            let own = scores.gather(1, labels)  // [N, 1]
            let classes = Tensor(Array(0..<c), shape: [1, c], device: scores.device)
            let ahead = (scores .> own) .| ((scores .== own) .& (classes .> labels))
            let rank = ahead.to(.float64).sum(1)
            hits += Int((rank .< Double(k)).to(.float64).sum().item())
        }
        total += n
    }

    public func compute() -> MetricValue {
        guard normalize else { return .scalar(Double(hits)) }
        return .scalar(total == 0 ? .nan : Double(hits) / Double(total))
    }

    public mutating func reset() { (hits, total) = (0, 0) }

    public mutating func merge(_ other: TopKAccuracy) {
        precondition(other.k == k && other.normalize == normalize, "TopKAccuracy.merge: configurations differ")
        hits += other.hits
        total += other.total
    }
}
