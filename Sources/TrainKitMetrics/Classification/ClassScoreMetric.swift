import TrainKitCore

/// What ``Precision``, ``Recall`` and ``F1Score`` share: (true, predicted) label counts, read off as one per-class
/// score combined over classes as `average` says. Each type holds its configuration and names its score.
protocol ClassScoreMetric: Metric {
    /// The per-class score the metric computes.
    static var score: ClassScore { get }
    var average: ClassAverage { get }
    var threshold: Double { get }
    var counts: ConfusionCounts { get set }
}

extension ClassScoreMetric {
    public mutating func update(predictions: Tensor, targets: Tensor) {
        let labels = ClassLabels.pair(
            predictions: predictions, targets: targets, threshold: threshold, metric: "\(Self.self)")
        counts.add(truth: labels.truth, predicted: labels.predicted)
    }

    public func compute() -> MetricValue { counts.score(Self.score, average: average) }

    public mutating func reset() { counts = ConfusionCounts() }

    public mutating func merge(_ other: Self) {
        precondition(
            other.average == average && other.threshold == threshold,
            "\(Self.self).merge: \(other.average), \(other.threshold) vs \(average), \(threshold)"
        )
        counts.merge(other.counts)
    }
}
