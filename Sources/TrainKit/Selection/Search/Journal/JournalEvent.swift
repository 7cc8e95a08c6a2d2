/// One line of a study journal. Four kinds, each a flat JSON object on its own line:
///
/// ```
/// {"event":"study","name":"adult","metric":"val_accuracy","direction":"maximize","space":{...}}
/// {"event":"start","trial":0,"params":{...},"seed":123,"owner":{"host":"h","pid":41,"id":"…"},"time":…}
/// {"event":"report","trial":0,"epoch":0,"value":0.81}
/// {"event":"finish","trial":0,"state":"complete","value":0.86,"metrics":{...},"time":…}
/// ```
///
/// A trial's state is the replay of its lines: `start` makes it running, `report` adds an intermediate value,
/// `finish` ends it (complete, pruned or failed; `interrupted: true` when the study found its process dead).
struct JournalEvent: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable { case study, start, report, finish }

    var event: Kind
    // study
    var name: String?
    var metric: String?
    var direction: SearchDirection?
    var space: SearchSpace?
    // start, report, finish
    var trial: Int?
    var params: [String: ParameterValue]?
    var seed: UInt64?
    var owner: TrialOwner?
    var retryOf: Int?
    var epoch: Int?
    var value: Double?
    var state: TrialState?
    var metrics: [String: Double]?
    var error: String?
    var interrupted: Bool?
    var time: Double?

    enum CodingKeys: String, CodingKey {
        case event, name, metric, direction, space, trial, params, seed, owner
        case retryOf = "retry_of"
        case epoch, value
        case state, metrics, error, interrupted, time
    }

    static func study(name: String, metric: String, direction: SearchDirection, space: SearchSpace) -> JournalEvent {
        JournalEvent(event: .study, name: name, metric: metric, direction: direction, space: space)
    }

    static func start(
        _ trial: Int, params: [String: ParameterValue], seed: UInt64, owner: TrialOwner, retryOf: Int?,
        time: Double
    ) -> JournalEvent {
        JournalEvent(
            event: .start, trial: trial, params: params, seed: seed, owner: owner, retryOf: retryOf, time: time)
    }

    static func report(_ trial: Int, epoch: Int, value: Double) -> JournalEvent {
        JournalEvent(event: .report, trial: trial, epoch: epoch, value: value)
    }

    static func finish(
        _ trial: Int, state: TrialState, value: Double?, metrics: [String: Double]?, error: String?,
        interrupted: Bool = false, time: Double
    ) -> JournalEvent {
        JournalEvent(
            event: .finish, trial: trial, value: value, state: state, metrics: metrics, error: error,
            interrupted: interrupted ? true : nil, time: time)
    }
}
