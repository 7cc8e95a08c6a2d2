import Foundation
import Testing
import TrainKitCore
@testable import TrainKitRL

/// A one-dimensional box-action environment (DQN must refuse it).
struct BoxActionEnvironment: Environment {
    var observationSpace: Space { .box(low: [-1], high: [1]) }
    var actionSpace: Space { .box(low: [-1], high: [1]) }
    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) { ([0], [:]) }
    mutating func step(_ action: Action) throws -> Step { Step(observation: [0], reward: 0, terminated: true) }
}

func zooDQN() -> DQNConfiguration {
    var c = DQNConfiguration()
    c.learningRate = .constant(2.3e-3); c.batchSize = 64; c.bufferSize = 100_000; c.learningStarts = 1000
    c.targetUpdateInterval = 10; c.trainFreq = 256; c.gradientSteps = 128
    c.explorationFraction = 0.16; c.explorationFinalEps = 0.04; c.netArch = [256, 256]
    return c
}

@Suite struct DQNTests {
    @Test func dqnLearnsCartPoleBeyondARandomPolicy() throws {
        // The zoo settings over a 6k-step run: ε reaches its floor by ~1k steps, 20 rounds of 32 updates.
        var c = zooDQN(); c.gradientSteps = 32; c.netArch = [64, 64]
        let agent = try DQN(environment: try cartPoles(1), configuration: c, seed: 0)
        try agent.learn(totalTimesteps: 6_000)
        var rng = AgentRandom(seed: 0)
        let after = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 10,
                                       deterministic: true, seed: 100, using: &rng)
        // Greedy on an untrained Q-network, CartPole ends in ~10 steps; learning passes 60.
        #expect(after.mean > 60, "mean return \(after.mean)")
        // Rounds end at 256, 512, …, 5888 and 6000 (the last one short); those past learning_starts (from 1024 on,
        // 21 of them) train 32 steps each, as SB3's.
        #expect(agent.updates == 21 * 32)
        #expect(agent.explorationRate == 0.04)
    }

    @Test func theEpsilonScheduleAndTargetCopyFollowSB3() throws {
        var c = DQNConfiguration(); c.learningStarts = 10_000; c.targetUpdateInterval = 7; c.explorationFraction = 0.5
        let agent = try DQN(environment: try cartPoles(1), configuration: c, seed: 1)
        try agent.learn(totalTimesteps: 100) { $0.numTimesteps < 50 }
        // Halfway through the exploration fraction (50 of 100 steps × 0.5 → progress 0.5 / 0.5): ε at the floor.
        #expect(abs(agent.explorationRate - 0.05) < 1e-12)
        // No update yet (learning_starts not reached); the target still equals the online net (copied every 7).
        #expect(agent.updates == 0)
        for (a, b) in zip(agent.qNet.parameters, agent.qNetTarget.parameters) { #expect(a.detachedValue.toArray() == b.detachedValue.toArray()) }
    }

    @Test func aResumedRunEndsWithTheUninterruptedRunsWeights() throws {
        var c = zooDQN(); c.learningStarts = 200; c.trainFreq = 50; c.gradientSteps = 4; c.netArch = [16]; c.doubleQ = true
        let straight = try DQN(environment: try cartPoles(2), configuration: c, seed: 3)
        try straight.learn(totalTimesteps: 800)
        let first = try DQN(environment: try cartPoles(2), configuration: c, seed: 3)
        try first.learn(totalTimesteps: 800) { $0.numTimesteps < 400 }
        let resumed = try DQN(environment: try cartPoles(2), configuration: c, seed: 3)
        try resumed.load(first.state())
        try resumed.learn(totalTimesteps: 800)
        #expect(resumed.updates == straight.updates && resumed.updates > 0)
        #expect(straight.qNet.stateDict().mapValues { $0.toArray() } == resumed.qNet.stateDict().mapValues { $0.toArray() })
        #expect(straight.qNetTarget.stateDict().mapValues { $0.toArray() } == resumed.qNetTarget.stateDict().mapValues { $0.toArray() })
        #expect(first.qNet.stateDict().mapValues { $0.toArray() } != straight.qNet.stateDict().mapValues { $0.toArray() })
    }

    @Test func boxActionsAndBadSettingsAreRefused() throws {
        let env = VectorEnvironment(count: 1) { _ in BoxActionEnvironment() }
        #expect(throws: AgentError.self) { try DQN(environment: env) }
        var c = DQNConfiguration(); c.explorationFraction = 0
        #expect(throws: AgentError.invalidHyperparameter(name: "exploration_fraction", value: "0.0", expected: "a number in (0, 1]")) {
            try DQN(environment: try cartPoles(1), configuration: c)
        }
    }
}
