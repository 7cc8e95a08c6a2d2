import TrainKitCore

/// Area under the ROC curve, exact: every score is kept and the curve is integrated over all thresholds.
///
/// For scores `s` and binary truth, sort by decreasing score and step through each *distinct* threshold
/// `t`: `TPR(t) = #{pos: s >= t} / P`, `FPR(t) = #{neg: s >= t} / Nₙ`; the area is the trapezoidal sum
/// `AUC = Σ (FPR_k - FPR_{k-1})(TPR_k + TPR_{k-1}) / 2` from `(0, 0)` to `(1, 1)`, as scikit-learn's
/// `roc_auc_score`. Tied scores form one threshold, so a tied positive/negative pair counts one half,
/// i.e. `AUC = (1 / (P·Nₙ)) Σ_{pos p, neg n} ([s_p > s_n] + ½[s_p = s_n])`. The sums are computed in integers,
/// so the value is exact up to the final division.
///
/// - Binary: predictions `[N]` or `[N, 1]` are the scores of `positiveLabel` (probabilities or logits:
///   only their order matters); a sample is positive when its target equals `positiveLabel`.
/// - One-vs-rest: predictions `[N, C]` with `C >= 2` (class probabilities, like scikit-learn's
///   `multi_class="ovr"`; softmax logits first to match it), targets in `0..<C`; class `c`'s AUC takes
///   column `c` as the score of "label is `c`", and the per-class areas are averaged (`macro`: unweighted,
///   `weighted`: by the number of samples of each class). With `C = 2` and rows summing to 1 this equals
///   the binary AUC.
///
/// The AUC is undefined, and ``compute()`` returns `nan`, when there is no sample, or (binary) every
/// target is on one side, or (one-vs-rest) some class has no positive or no negative sample
/// (scikit-learn raises in those cases).
///
/// - Parameters:
///   - average: how one-vs-rest areas combine (ignored for binary scores).
///   - positiveLabel: the positive class for binary scores.
///   - name: the reported name (default `"roc_auc"`).
///
/// ```swift
/// var auc = ROCAUC()
/// auc.update(predictions: Tensor([0.1, 0.4, 0.35, 0.8] as [Float]), targets: Tensor([0, 0, 1, 1]))
/// auc.compute()   // .scalar(0.75)
/// ```
public struct ROCAUC: Metric {
    /// How one-vs-rest areas combine.
    public enum Average: Sendable, Hashable {
        /// The unweighted mean over classes.
        case macro
        /// The mean over classes weighted by each class's number of true samples.
        case weighted
    }

    public let name: String
    /// How one-vs-rest areas combine.
    public let average: Average
    /// The positive class for binary scores.
    public let positiveLabel: Int
    /// The scores seen, row-major `[N, columns]`.
    public private(set) var scores: [Double] = []
    /// The true labels seen.
    public private(set) var labels: [Int] = []
    /// Score columns: 1 for binary scores, `C` for one-vs-rest; nil before the first non-empty update.
    public private(set) var columns: Int? = nil

    /// An exact ROC-AUC metric.
    public init(average: Average = .macro, positiveLabel: Int = 1, name: String? = nil) {
        self.average = average
        self.positiveLabel = positiveLabel
        self.name = name ?? "roc_auc"
    }

    public mutating func update(predictions: Tensor, targets: Tensor) {
        precondition(
            predictions.rank == 1 || predictions.rank == 2,
            "ROCAUC: predictions must be [N] or [N, C], got \(predictions.shape)")
        let n = predictions.shape[0]
        let c = predictions.rank == 2 ? predictions.shape[1] : 1
        let truth = ClassLabels.targets(targets, metric: "ROCAUC")
        precondition(
            truth.count == n,
            "ROCAUC: predictions \(predictions.shape) and targets \(targets.shape) hold different sample counts")
        guard n > 0 else { return }
        precondition(
            columns == nil || columns == c,
            "ROCAUC: predictions have \(c) score columns, earlier batches had \(columns!)")
        let values = predictions.toArray(as: Double.self)
        precondition(!values.contains { $0.isNaN }, "ROCAUC: scores contain NaN")
        if c > 1 {
            for label in truth {
                precondition(label >= 0 && label < c, "ROCAUC: label \(label) out of range for \(c) classes")
            }
        }
        columns = c
        scores += values
        labels += truth
    }

    public func compute() -> MetricValue {
        guard let columns, !labels.isEmpty else { return .scalar(.nan) }
        if columns == 1 { return .scalar(Self.area(scores: scores, positive: labels.map { $0 == positiveLabel })) }
        var sum = 0.0
        var weightSum = 0.0
        for c in 0..<columns {
            let column = stride(from: c, to: scores.count, by: columns).map { scores[$0] }
            let positive = labels.map { $0 == c }
            let weight = average == .macro ? 1.0 : Double(positive.lazy.filter { $0 }.count)
            sum += weight * Self.area(scores: column, positive: positive)
            weightSum += weight
        }
        return .scalar(sum / weightSum)
    }

    public mutating func reset() {
        scores = []
        labels = []
        columns = nil
    }

    public mutating func merge(_ other: ROCAUC) {
        precondition(
            other.average == average && other.positiveLabel == positiveLabel, "ROCAUC.merge: configurations differ")
        guard let otherColumns = other.columns else { return }
        precondition(
            columns == nil || columns == otherColumns,
            "ROCAUC.merge: \(otherColumns) score columns vs \(columns!)")
        columns = otherColumns
        scores += other.scores
        labels += other.labels
    }

    /// The exact trapezoidal ROC area of `scores` against binary truth `positive`; nan without both classes.
    static func area(scores: [Double], positive: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp = 0
        var fp = 0
        var previousTP = 0
        var previousFP = 0
        var twiceArea = 0  // Σ ΔFP·(TP + TP_prev), in counts: the area times 2·P·Nₙ
        var i = 0
        while i < order.count {
            let threshold = scores[order[i]]
            while i < order.count && scores[order[i]] == threshold {
                if positive[order[i]] { tp += 1 } else { fp += 1 }
                i += 1
            }
            twiceArea += (fp - previousFP) * (tp + previousTP)
            (previousTP, previousFP) = (tp, fp)
        }
        guard tp > 0 && fp > 0 else { return .nan }
        return Double(twiceArea) / (2 * Double(tp) * Double(fp))
    }
}
