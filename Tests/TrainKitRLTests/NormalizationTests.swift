import Foundation
import Testing
import TrainKitCore
@testable import TrainKitRL

/// `VectorEnvironment.normalization`: SB3's `VecNormalize` inside the vector environment, as agents use it.
@Suite struct NormalizationTests {
    static func cartPoles(_ n: Int, normalizeRewards: Bool = true) throws -> VectorEnvironment {
        let envs = try VectorEnvironment(count: n, autoreset: .sameStep) { _ in try Environments.make("CartPole-v1") }
        envs.normalization = try VectorNormalization(observationDimension: envs.observationDimension, count: n,
                                                     normalizeRewards: normalizeRewards, clipObservation: 5)
        return envs
    }

    /// The same numbers as the `VectorNormalize` wrapper around an unnormalized environment.
    @Test func insideTheEnvironmentItMatchesTheWrapper() throws {
        let inside = try Self.cartPoles(3)
        let wrapped = try VectorNormalize(VectorEnvironment(count: 3, autoreset: .sameStep) { _ in
            try Environments.make("CartPole-v1")
        }, clipObservation: 5)
        #expect(inside.reset(seed: 4) == wrapped.reset(seed: 4))
        for t in 0..<60 {
            let actions = (0..<3).map { Action.discrete(($0 + t) % 2) }
            let a = try inside.step(actions), b = try wrapped.step(actions)
            #expect(a.observations == b.observations && a.rewards == b.rewards, "step \(t)")
            #expect(a.finalObservations == b.finalObservations, "step \(t)")
            #expect(a.episodes.mapValues { $0.return } == b.episodes.mapValues { $0.return }, "step \(t)")
        }
        #expect(inside.normalization == wrapped.normalization)
        #expect(inside.normalization!.observationStatistics.count > 100)
    }

    /// A DQN run on normalized environments, stopped and resumed from its state on fresh environments, ends with
    /// the uninterrupted run's weights and statistics (the action replay rebuilds them).
    @Test func aResumedDQNRunContinuesTheStatisticsExactly() throws {
        var c = zooDQN(); c.learningStarts = 200; c.trainFreq = 50; c.gradientSteps = 4; c.netArch = [16]
        let straight = try DQN(environment: try Self.cartPoles(2), configuration: c, seed: 5)
        try straight.learn(totalTimesteps: 800)
        let first = try DQN(environment: try Self.cartPoles(2), configuration: c, seed: 5)
        try first.learn(totalTimesteps: 800) { $0.numTimesteps < 400 }
        let resumed = try DQN(environment: try Self.cartPoles(2), configuration: c, seed: 5)
        try resumed.load(first.state())
        #expect(resumed.environment.normalization == first.environment.normalization)
        try resumed.learn(totalTimesteps: 800)
        #expect(resumed.updates == straight.updates && resumed.updates > 0)
        #expect(straight.qNet.stateDict().mapValues { $0.toArray() } == resumed.qNet.stateDict().mapValues { $0.toArray() })
        #expect(straight.environment.normalization == resumed.environment.normalization)
    }

    /// Evaluation normalizes each observation with the given statistics (frozen): an agent that acts on the sign
    /// of the normalized pole angle sees what the statistics make of the raw one.
    @Test func evaluationNormalizesWithTheGivenStatistics() throws {
        let envs = try Self.cartPoles(1)
        var stats = envs.normalization!
        stats.observationStatistics.mean = [0, 0, 1, 0]  // a pole angle of 0 reads as very negative
        stats.observationStatistics.variance = [1, 1, 1e-6, 1]
        let agent = SignAgent()
        var rng = AgentRandom(seed: 0)
        _ = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 1, seed: 0,
                               normalization: stats, using: &rng)
        #expect(!agent.seen.isEmpty && agent.seen.allSatisfy { $0 == -5 })  // clipped at -clip_obs
        let before = stats
        _ = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 1, seed: 0,
                               normalization: stats, using: &rng)
        #expect(stats == before)
    }

    final class SignAgent: Agent {
        static let name = "sign"
        var numTimesteps = 0
        var seen: [Float] = []
        func predict(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action] {
            seen.append(observations[2])
            return [.discrete(observations[2] > 0 ? 1 : 0)]
        }
    }
}
