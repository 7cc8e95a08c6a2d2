import TrainKitCore

/// How ``Precision``, ``Recall`` and ``F1Score`` combine per-class scores (scikit-learn's `average`).
///
/// With `tp_c`, `fp_c`, `fn_c` the true positives, false positives and false negatives of class `c`,
/// `s_c = tp_c + fn_c` its true support, and `L` the classes seen (the sorted union of true and predicted
/// labels):
/// - ``binary(positiveLabel:)``: the score of `positiveLabel` alone;
/// - ``micro``: the score of the summed counts `Σ tp_c, Σ fp_c, Σ fn_c` (for single-label data, equal to
///   accuracy);
/// - ``macro``: `(1/|L|) Σ_c score_c`;
/// - ``weighted``: `Σ_c s_c score_c / Σ_c s_c`;
/// - ``perClass``: the float64 tensor `[|L|]` of `score_c`, in sorted label order (scikit-learn's `None`).
///
/// A ratio whose denominator is zero (a class never predicted, for precision) counts as 0, scikit-learn's
/// `zero_division` default.
public enum ClassAverage: Sendable, Hashable {
    /// The score of one class, `positiveLabel` (scikit-learn's `"binary"` with `pos_label`). With more than
    /// two classes it is that class's one-vs-rest score (scikit-learn refuses that case).
    case binary(positiveLabel: Int)
    /// Scores from the counts summed over every class.
    case micro
    /// The unweighted mean of the per-class scores.
    case macro
    /// The mean of the per-class scores weighted by true support.
    case weighted
    /// Every class's score, as a float64 tensor in sorted label order.
    case perClass

    /// Binary scoring with positive label 1.
    public static var binary: ClassAverage { .binary(positiveLabel: 1) }

    /// The suffix of a metric's name (`""` for binary, `"_macro"`, …).
    var nameSuffix: String {
        switch self {
        case .binary: ""
        case .micro: "_micro"
        case .macro: "_macro"
        case .weighted: "_weighted"
        case .perClass: "_per_class"
        }
    }
}

/// A per-class ratio computed from confusion counts.
enum ClassScore {
    case precision, recall, f1

    /// The score from true positives, predicted positives (`tp + fp`) and support (`tp + fn`); 0 when the
    /// denominator is 0.
    func value(truePositives tp: Int, predicted: Int, support: Int) -> Double {
        let (numerator, denominator): (Int, Int) =
            switch self {
            case .precision: (tp, predicted)
            case .recall: (tp, support)
            case .f1: (2 * tp, predicted + support)
            }
        return denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}

extension ConfusionCounts {
    /// `kind` averaged as `average` over the counted samples; `nan` (an empty tensor for ``ClassAverage/perClass``)
    /// before any sample.
    func score(_ kind: ClassScore, average: ClassAverage) -> MetricValue {
        let labels = self.labels
        if case .perClass = average {
            let counts = perLabel(labels)
            let values = labels.indices.map {
                kind.value(
                    truePositives: counts.truePositives[$0], predicted: counts.predicted[$0],
                    support: counts.support[$0])
            }
            return .tensor(Tensor(values, shape: [values.count]))
        }
        guard total > 0 else { return .scalar(.nan) }
        switch average {
        case .binary(let positive):
            let counts = perLabel([positive])
            return .scalar(
                kind.value(
                    truePositives: counts.truePositives[0], predicted: counts.predicted[0],
                    support: counts.support[0]))
        case .micro:
            let counts = perLabel(labels)
            return .scalar(
                kind.value(
                    truePositives: counts.truePositives.reduce(0, +),
                    predicted: counts.predicted.reduce(0, +), support: counts.support.reduce(0, +)))
        case .macro, .weighted:
            let counts = perLabel(labels)
            var sum = 0.0
            var weightSum = 0.0
            for i in labels.indices {
                let weight = average == .macro ? 1.0 : Double(counts.support[i])
                let value = kind.value(
                    truePositives: counts.truePositives[i], predicted: counts.predicted[i],
                    support: counts.support[i])
                sum += weight * value
                weightSum += weight
            }
            return .scalar(weightSum == 0 ? 0 : sum / weightSum)
        case .perClass:
            preconditionFailure("unreachable")
        }
    }
}
