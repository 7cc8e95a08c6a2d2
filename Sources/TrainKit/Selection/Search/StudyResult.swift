import Foundation

/// What a study found: the best complete trial and every trial.
///
/// JSON (``jsonData(prettyPrinted:)``):
/// `{"best": {"trial": 7, "value": 0.86, "params": {...}, "metrics": {...}}, "metric": "val_accuracy",
///   "direction": "maximize", "counts": {"complete": 12, "pruned": 7, "failed": 1, "running": 0}, "trials": [...]}`.
public struct StudyResult: Codable, Sendable, Equatable {
    /// The best complete trial.
    public struct Best: Codable, Sendable, Equatable {
        /// The trial number.
        public var trial: Int
        /// Its value of the study metric.
        public var value: Double
        /// Its parameters, by dotted path.
        public var params: [String: ParameterValue]
        /// Everything its objective returned.
        public var metrics: [String: Double]
    }

    /// The metric that ranks trials.
    public var metric: String
    public var direction: SearchDirection
    /// The best complete trial (nil when none completed).
    public var best: Best?
    /// Trials per state: `complete`, `pruned`, `failed`, `running`.
    public var counts: [String: Int]
    /// Every trial, in number order.
    public var trials: [TrialRecord]

    /// Summarizes `trials`.
    public init(metric: String, direction: SearchDirection, trials: [TrialRecord]) {
        self.metric = metric
        self.direction = direction
        self.trials = trials
        counts = [:]
        for state in [TrialState.complete, .pruned, .failed, .running] {
            counts[state.rawValue] = trials.count { $0.state == state }
        }
        best = Self.best(of: trials, direction: direction).map {
            Best(trial: $0.number, value: $0.value!, params: $0.params, metrics: $0.metrics)
        }
    }

    /// The complete trial with the best finite value (ties: the earliest).
    static func best(of trials: [TrialRecord], direction: SearchDirection) -> TrialRecord? {
        let candidates = trials.filter { $0.state == .complete && $0.value.map { !$0.isNaN } == true }
        return direction.sortedBestFirst(candidates) { $0.value! }.first
    }

    /// JSON with sorted keys; non-finite numbers as the strings `"nan"`, `"inf"`, `"-inf"`.
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            prettyPrinted
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
