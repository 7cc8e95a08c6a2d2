import Foundation

/// Where a trial stands. `running` trials whose process died are marked `failed` with
/// ``TrialRecord/interrupted`` set when the study is reopened, and their parameters are tried again.
public enum TrialState: String, Codable, Sendable {
    case running, complete, pruned, failed
}

/// One trial of a ``Study``: its parameters, the values it reported each epoch, and how it ended.
///
/// JSON (in ``StudyResult``):
/// `{"number": 3, "state": "complete", "params": {"training.optimizer.lr": 0.003}, "value": 0.86,
///   "metrics": {"val_accuracy": 0.86, "val_loss": 0.31}, "intermediate": {"0": 0.8, "1": 0.84}, "seed": 123}`.
public struct TrialRecord: Codable, Sendable, Equatable {
    /// 0, 1, 2, … in start order across every process writing the study.
    public var number: Int
    /// The parameters, by dotted path.
    public var params: [String: ParameterValue]
    /// Seeds the trial's random stream (`Random.seed(seed)` on its thread before the objective runs).
    public var seed: UInt64
    /// Running, complete, pruned or failed.
    public var state: TrialState
    /// The objective: the study metric for a complete trial, the last reported value for a pruned one.
    public var value: Double?
    /// What the objective returned (empty for pruned-by-throwing and failed trials).
    public var metrics: [String: Double]
    /// The values reported with ``Trial/report(epoch:value:)``, by 0-based epoch.
    public var intermediate: [Int: Double]
    /// Why a failed trial failed.
    public var error: String?
    /// The process died while the trial ran; a later trial (``retryOf``) repeats its parameters.
    public var interrupted: Bool
    /// The interrupted trial whose parameters this trial repeats.
    public var retryOf: Int?
    /// The process that ran the trial.
    public var owner: TrialOwner?
    /// Seconds from start to finish (nil while running).
    public var duration: Double?
    /// Start time, seconds since 1970.
    public var started: Double?

    public init(
        number: Int, params: [String: ParameterValue], seed: UInt64, state: TrialState = .running,
        value: Double? = nil, metrics: [String: Double] = [:], intermediate: [Int: Double] = [:],
        error: String? = nil, interrupted: Bool = false, retryOf: Int? = nil, owner: TrialOwner? = nil,
        duration: Double? = nil, started: Double? = nil
    ) {
        self.number = number
        self.params = params
        self.seed = seed
        self.state = state
        self.value = value
        self.metrics = metrics
        self.intermediate = intermediate
        self.error = error
        self.interrupted = interrupted
        self.retryOf = retryOf
        self.owner = owner
        self.duration = duration
        self.started = started
    }

    /// Whether the trial is finished (complete, pruned or failed).
    public var isFinished: Bool { state != .running }

    /// The epochs run: one past the last reported epoch.
    public var epochsReported: Int { (intermediate.keys.max() ?? -1) + 1 }

    enum CodingKeys: String, CodingKey {
        case number, params, seed, state, value, metrics, intermediate, error, interrupted
        case retryOf = "retry_of"
        case owner, duration, started
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decode(Int.self, forKey: .number)
        params = try c.decode([String: ParameterValue].self, forKey: .params)
        seed = try c.decode(UInt64.self, forKey: .seed)
        state = try c.decode(TrialState.self, forKey: .state)
        value = try c.decodeIfPresent(Double.self, forKey: .value)
        metrics = try c.decodeIfPresent([String: Double].self, forKey: .metrics) ?? [:]
        let byName = try c.decodeIfPresent([String: Double].self, forKey: .intermediate) ?? [:]
        intermediate = [:]
        for (k, v) in byName {
            guard let epoch = Int(k) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .intermediate, in: c, debugDescription: "epoch \(k) is not an integer")
            }
            intermediate[epoch] = v
        }
        error = try c.decodeIfPresent(String.self, forKey: .error)
        interrupted = try c.decodeIfPresent(Bool.self, forKey: .interrupted) ?? false
        retryOf = try c.decodeIfPresent(Int.self, forKey: .retryOf)
        owner = try c.decodeIfPresent(TrialOwner.self, forKey: .owner)
        duration = try c.decodeIfPresent(Double.self, forKey: .duration)
        started = try c.decodeIfPresent(Double.self, forKey: .started)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(params, forKey: .params)
        try c.encode(seed, forKey: .seed)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encode(metrics, forKey: .metrics)
        var byName: [String: Double] = [:]
        for (k, v) in intermediate { byName[String(k)] = v }
        try c.encode(byName, forKey: .intermediate)
        try c.encodeIfPresent(error, forKey: .error)
        if interrupted { try c.encode(true, forKey: .interrupted) }
        try c.encodeIfPresent(retryOf, forKey: .retryOf)
        try c.encodeIfPresent(owner, forKey: .owner)
        try c.encodeIfPresent(duration, forKey: .duration)
        try c.encodeIfPresent(started, forKey: .started)
    }
}

/// The process running a trial: its host, pid and a per-``Study``-object id (pids are reused, notably in
/// containers that restart at pid 1).
public struct TrialOwner: Codable, Sendable, Hashable {
    public var host: String
    public var pid: Int32
    public var id: String

    public init(host: String, pid: Int32, id: String) {
        self.host = host
        self.pid = pid
        self.id = id
    }
}
