import Foundation
import TrainKitRL

/// A number or a flag inside a mixed JSON array (FrozenLake's `P` entries `[p, next, reward, terminated]`).
enum FixtureScalar: Decodable, Equatable {
    case number(Double), flag(Bool)

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .flag(b) } else { self = .number(try c.decode(Double.self)) }
    }

    var number: Double { if case .number(let x) = self { x } else { .nan } }
    var flag: Bool { if case .flag(let b) = self { b } else { false } }
}

/// A trajectory file written by `scripts/gymnasium-trajectories.py` (`Tests/Fixtures/gymnasium/<id>.json`).
/// Read with `JSONDecoder`, which parses doubles exactly (Foundation's `JSONSerialization` on Linux can be off in
/// the last digit).
struct GymnasiumFixture: Decodable {
    struct ActionRecord: Decodable {
        let discrete: Int?
        let continuous: [Double]?
        var action: Action { discrete.map(Action.discrete) ?? .continuous(continuous ?? []) }
    }

    struct StepRecord: Decodable {
        let actionRecord: ActionRecord
        let state: [Double]
        let observation: [Double]
        let reward: Double
        let terminated: Bool
        let truncated: Bool
        var action: Action { actionRecord.action }
        enum CodingKeys: String, CodingKey {
            case actionRecord = "action", state, observation, reward, terminated, truncated
        }
    }

    struct Episode: Decodable {
        let seed: Int
        let maxEpisodeSteps: Int
        let state: [Double]
        let observation: [Double]
        let steps: [StepRecord]
        enum CodingKeys: String, CodingKey {
            case seed, maxEpisodeSteps = "max_episode_steps", state, observation, steps
        }
    }

    struct Table: Decodable {
        let P: [String: [String: [[FixtureScalar]]]]
    }

    let id: String
    let maxEpisodeSteps: Int?
    let rewardThreshold: Double?
    let kwargs: [String: Bool]
    let episodes: [Episode]
    let map: [String]?
    let slippery: Table?
    let deterministic: Table?

    enum CodingKeys: String, CodingKey {
        case id, maxEpisodeSteps = "max_episode_steps", rewardThreshold = "reward_threshold", kwargs, episodes, map,
             slippery, deterministic
    }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gymnasium")
    }

    /// Decodes `Tests/Fixtures/gymnasium/<name>.json` as `T`.
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: directory.appendingPathComponent("\(name).json")))
    }

    /// The fixture of environment `id`.
    static func named(_ id: String) throws -> GymnasiumFixture { try load(id) }

    /// The keyword options the trajectories were recorded with, as `Environments.make` takes them.
    var options: [String: String] { kwargs.mapValues { $0 ? "true" : "false" } }
}

/// The largest `|a − b| / max(1, |b|)` over two equal-length vectors (infinity when the lengths differ).
func worstDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
}

/// Replays every episode of `fixture` in `make(limit)` from the recorded start state; returns a list of
/// mismatches (empty when every state, observation, reward and flag agrees within the tolerances).
func replay(_ fixture: GymnasiumFixture, stateTolerance: Double, observationTolerance: Double,
            make: (Int) throws -> any StatefulEnvironment) throws -> [String] {
    var problems: [String] = []
    for (e, episode) in fixture.episodes.enumerated() {
        var env = try make(episode.maxEpisodeSteps)
        let first = try env.reset(state: episode.state)
        if worstDifference(first, episode.observation) > observationTolerance {
            problems.append("episode \(e) reset: \(first) vs \(episode.observation)")
        }
        for (t, record) in episode.steps.enumerated() {
            let step = try env.step(record.action)
            let where_ = "episode \(e) step \(t)"
            if worstDifference(env.state, record.state) > stateTolerance {
                problems.append("\(where_) state \(env.state) vs \(record.state)")
            }
            if worstDifference(step.observation, record.observation) > observationTolerance {
                problems.append("\(where_) observation \(step.observation) vs \(record.observation)")
            }
            if abs(step.reward - record.reward) > stateTolerance * max(1, abs(record.reward)) {
                problems.append("\(where_) reward \(step.reward) vs \(record.reward)")
            }
            if step.terminated != record.terminated || step.truncated != record.truncated {
                problems.append("\(where_) flags \(step.terminated)/\(step.truncated) vs "
                                + "\(record.terminated)/\(record.truncated)")
            }
            if problems.count > 5 { return problems }
        }
    }
    return problems
}
