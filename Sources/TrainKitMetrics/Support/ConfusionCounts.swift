/// Streaming counts of (true label, predicted label) pairs: the state behind ``ConfusionMatrix``,
/// ``Precision``, ``Recall`` and ``F1Score``.
///
/// Pairs are kept sparse, so labels need not be contiguous or known in advance; a confusion matrix or
/// per-class counts are read off in any label order.
public struct ConfusionCounts: Sendable, Equatable {
    /// One (true, predicted) label pair.
    struct Pair: Hashable, Sendable {
        let truth: Int
        let predicted: Int
    }

    private var pairs: [Pair: Int] = [:]

    /// The number of samples counted.
    public private(set) var total = 0

    /// Empty counts.
    public init() {}

    /// Counts one sample per index of `truth` and `predicted` (same length).
    public mutating func add(truth: [Int], predicted: [Int]) {
        precondition(
            truth.count == predicted.count,
            "ConfusionCounts.add: \(truth.count) true labels, \(predicted.count) predicted")
        for i in 0..<truth.count { pairs[Pair(truth: truth[i], predicted: predicted[i]), default: 0] += 1 }
        total += truth.count
    }

    /// Adds the counts of `other`.
    public mutating func merge(_ other: ConfusionCounts) {
        for (pair, count) in other.pairs { pairs[pair, default: 0] += count }
        total += other.total
    }

    /// The sorted union of every true and predicted label seen.
    public var labels: [Int] {
        var seen = Set<Int>()
        for pair in pairs.keys {
            seen.insert(pair.truth)
            seen.insert(pair.predicted)
        }
        return seen.sorted()
    }

    /// The number of samples with true label `truth` predicted as `predicted`.
    public func count(truth: Int, predicted: Int) -> Int { pairs[Pair(truth: truth, predicted: predicted)] ?? 0 }

    /// The confusion matrix over `labels` in that order, row-major (rows true, columns predicted).
    /// Samples whose true or predicted label is not in `labels` are left out.
    public func matrix(labels: [Int]) -> [Int] {
        var index: [Int: Int] = [:]
        for (i, label) in labels.enumerated() where index[label] == nil { index[label] = i }
        var out = [Int](repeating: 0, count: labels.count * labels.count)
        for (pair, count) in pairs {
            guard let row = index[pair.truth], let column = index[pair.predicted] else { continue }
            out[row * labels.count + column] += count
        }
        return out
    }

    /// Per-label counts for `labels`: true positives, predicted positives (`tp + fp`) and true
    /// support (`tp + fn`).
    public func perLabel(_ labels: [Int]) -> (truePositives: [Int], predicted: [Int], support: [Int]) {
        var index: [Int: Int] = [:]
        for (i, label) in labels.enumerated() { index[label] = i }
        var tp = [Int](repeating: 0, count: labels.count)
        var predicted = tp
        var support = tp
        for (pair, count) in pairs {
            if let i = index[pair.truth] {
                support[i] += count
                if pair.truth == pair.predicted { tp[i] += count }
            }
            if let j = index[pair.predicted] { predicted[j] += count }
        }
        return (tp, predicted, support)
    }
}
