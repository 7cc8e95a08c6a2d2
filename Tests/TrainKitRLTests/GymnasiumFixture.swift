import Foundation
import TrainKitRL

/// A trajectory file written by `scripts/gymnasium-trajectories.py` (`Tests/Fixtures/gymnasium/<id>.json`).
struct GymnasiumFixture {
    struct StepRecord {
        let action: Action
        let state: [Double]
        let observation: [Double]
        let reward: Double
        let terminated: Bool
        let truncated: Bool
    }

    struct Episode {
        let seed: Int
        let maxEpisodeSteps: Int
        let state: [Double]
        let observation: [Double]
        let steps: [StepRecord]
    }

    let id: String
    let maxEpisodeSteps: Int?
    let rewardThreshold: Double?
    let episodes: [Episode]
    let raw: [String: Any]

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gymnasium")
    }

    init(_ id: String) throws {
        let url = Self.directory.appendingPathComponent("\(id).json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let raw = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw EnvironmentError.invalidArgument(name: "fixture", value: url.path, expected: "a JSON object") }
        self.raw = raw
        self.id = raw["id"] as! String
        maxEpisodeSteps = raw["max_episode_steps"] as? Int
        rewardThreshold = (raw["reward_threshold"] as? NSNumber)?.doubleValue
        episodes = (raw["episodes"] as! [[String: Any]]).map { e in
            Episode(seed: e["seed"] as! Int, maxEpisodeSteps: e["max_episode_steps"] as! Int,
                    state: Self.doubles(e["state"]), observation: Self.doubles(e["observation"]),
                    steps: (e["steps"] as! [[String: Any]]).map { s in
                        let a = s["action"] as! [String: Any]
                        let action: Action = if let i = a["discrete"] as? Int { .discrete(i) }
                            else { .continuous(Self.doubles(a["continuous"])) }
                        return StepRecord(action: action, state: Self.doubles(s["state"]),
                                          observation: Self.doubles(s["observation"]),
                                          reward: (s["reward"] as! NSNumber).doubleValue,
                                          terminated: s["terminated"] as! Bool, truncated: s["truncated"] as! Bool)
                    })
        }
    }

    static func doubles(_ value: Any?) -> [Double] { (value as! [NSNumber]).map(\.doubleValue) }
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
