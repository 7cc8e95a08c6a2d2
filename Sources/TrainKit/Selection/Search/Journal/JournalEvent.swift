import Foundation

/// One line of a study journal. Five kinds, each a flat JSON object on its own line:
///
/// ```
/// {"event":"study","name":"adult","metric":"val_accuracy","direction":"maximize","space":{...}}
/// {"event":"start","trial":0,"params":{...},"seed":123,"owner":{"host":"h","pid":41,"id":"…"},"time":…}
/// {"event":"report","trial":0,"epoch":0,"value":0.81}
/// {"event":"finish","trial":0,"state":"complete","value":0.86,"metrics":{...},"time":…}
/// {"event":"summary","trial":12,"owner":{...},"time":…}
/// ```
///
/// A trial's state is the replay of its lines: `start` makes it running, `report` adds an intermediate value,
/// `finish` ends it (complete, pruned or failed; `interrupted: true` when the study found its process dead).
/// `summary` claims the writing of the study's summary for the worker `owner` once `trial` trials were finished
/// (``Study/claimSummary()``); trials play no part in it.
struct JournalEvent: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable { case study, start, report, finish, summary }

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

    static func summary(finished: Int, owner: TrialOwner, time: Double) -> JournalEvent {
        JournalEvent(event: .summary, trial: finished, owner: owner, time: time)
    }

    // MARK: - Lines

    /// Writes one event as one line (sorted keys; infinities and NaN as strings).
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Reads what ``encoder`` wrote.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Why a line did not decode, in a few words.
    static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.keyNotFound(let key, _) = error { return "missing \(key.stringValue)" }
        return "\(error)"
    }
}
