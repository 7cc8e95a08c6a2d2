import Foundation
import Testing
import TrainKitRL

/// `VectorEnvironment` against Gymnasium's `SyncVectorEnv` + `RecordEpisodeStatistics` (`scripts/gymnasium-vector.py`)
/// in each autoreset mode, on the deterministic `Wave` environment under `TimeLimit(4)`.
@Suite struct AutoresetTests {
    struct Record: Decodable {
        struct Step: Decodable {
            let observations: [Double], rewards: [Double], terminated: [Bool], truncated: [Bool]
            let final: [String: [Double]]
            let episodes: [String: [Double]]
            let afterReset: [Double]?
            enum CodingKeys: String, CodingKey {
                case observations, rewards, terminated, truncated, final, episodes, afterReset = "after_reset"
            }
        }
        struct Mode: Decodable { let reset: [Double]; let steps: [Step] }
        let envs: Int, limit: Int
        let modes: [String: Mode]
    }

    static let modes: [(String, AutoresetMode)] = [("nextStep", .nextStep), ("sameStep", .sameStep),
                                                   ("disabled", .disabled)]

    @Test(arguments: [1, 3], modes.map(\.0))
    func vectorEnvironmentMatchesSyncVectorEnv(threads: Int, modeName: String) throws {
        let fixture = try GymnasiumFixture.load("vector", as: Record.self)
        let n = fixture.envs, limit = fixture.limit
        let mode = Self.modes.first { $0.0 == modeName }!.1
        let record = try #require(fixture.modes[modeName])
        let envs = try VectorEnvironment(count: n, threads: threads, autoreset: mode) {
            try TimeLimit(Wave(index: $0), maxEpisodeSteps: limit)
        }
        #expect(envs.reset(seed: 0).map(Double.init) == record.reset)
        var episodes = 0
        for (t, step) in record.steps.enumerated() {
            let out = try envs.step(Array(repeating: .discrete(0), count: n))
            #expect(out.observations.map(Double.init) == step.observations, "step \(t)")
            #expect(out.rewards == step.rewards, "step \(t)")
            #expect(out.terminated == step.terminated && out.truncated == step.truncated)
            let finals = step.final
            #expect(out.finalObservations.count == finals.count, "step \(t)")
            for (i, final) in out.finalObservations {
                #expect(final.map { Double(Float($0)) } == finals[String(i)], "step \(t) final \(i)")
            }
            // Gymnasium's RecordEpisodeStatistics assumes next-step resets in disabled mode (it drops the first
            // step after a manual reset); there only the ending steps are compared.
            let expected = step.episodes
            #expect(Set(out.episodes.keys.map(String.init)) == Set(expected.keys), "step \(t)")
            if mode != .disabled {
                for (i, episode) in out.episodes {
                    let e = expected[String(i)]!
                    #expect(episode.return == e[0] && Double(episode.length) == e[1], "step \(t) episode \(i)")
                    episodes += 1
                }
            }
            if let after = step.afterReset {
                let mask = zip(out.terminated, out.truncated).map { $0 || $1 }
                #expect(try envs.reset(seed: nil, mask: mask).map(Double.init) == after)
            }
        }
        #expect(mode == .disabled || episodes >= 8)
    }

    @Test func disabledModeRefusesAStepAfterTheEnd() throws {
        let envs = try VectorEnvironment(count: 2, autoreset: .disabled) { Wave(index: $0) }
        envs.reset(seed: nil)
        for _ in 0..<3 { _ = try envs.step([.discrete(0), .discrete(0)]) }  // environment 0 ended at step 3
        #expect(throws: EnvironmentError.stepAfterEnd(environment: "Wave", step: 3)) {
            try envs.step([.discrete(0), .discrete(0)])
        }
        #expect(throws: EnvironmentError.self) { try envs.reset(seed: nil, mask: [false, false]) }
        _ = try envs.reset(seed: nil, mask: [true, false])
        _ = try envs.step([.discrete(0), .discrete(0)])
    }
}
