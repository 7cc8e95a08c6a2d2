import Foundation
import Testing
import TrainKitCore
@testable import TrainKitRL

/// The RL-Zoo's CartPole-v1 settings (shorter rollouts' worth of updates for a quick test).
func zooPPO(epochs: Int = 20) -> PPOConfiguration {
    var c = PPOConfiguration()
    c.nSteps = 32; c.batchSize = 256; c.gaeLambda = 0.8; c.gamma = 0.98; c.nEpochs = epochs; c.entCoef = 0
    c.learningRate = .linear(from: 0.001, to: 0); c.clipRange = .linear(from: 0.2, to: 0)
    return c
}

func cartPoles(_ n: Int) throws -> VectorEnvironment {
    try VectorEnvironment(count: n, autoreset: .sameStep) { _ in try Environments.make("CartPole-v1") }
}

@Suite struct PPOTests {
    @Test func ppoLearnsCartPoleBeyondARandomPolicy() throws {
        // The zoo settings on 32-32 networks with a constant learning rate of 3e-3 and clip range (the zoo's decay
        // to 0 over a short run would stop learning early): small enough for the reference backend, and seeds 0–2
        // reach 126–161 after 4096 steps.
        var c = zooPPO(epochs: 10); c.learningRate = .constant(0.003); c.clipRange = .constant(0.2)
        c.policyLayers = [32, 32]; c.valueLayers = [32, 32]
        let agent = try PPO(environment: try cartPoles(8), configuration: c, seed: 0)
        var rng = AgentRandom(seed: 3)
        let before = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 10,
                                        deterministic: true, seed: 100, using: &rng)
        try agent.learn(totalTimesteps: 4_000)
        let after = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 10,
                                       deterministic: true, seed: 100, using: &rng)
        // An untrained policy balances ~10–40 steps.
        #expect(before.mean < 60)
        #expect(after.mean > 80, "mean return \(after.mean) after \(agent.numTimesteps) steps")
        #expect(agent.numTimesteps == 4_096)  // 16 rollouts of 8 × 32 (the last overshoots, as SB3)
        #expect(agent.updates == 16 * 10)
    }

    @Test func theSameSeedGivesTheSameWeights() throws {
        func run(_ seed: UInt64) throws -> [String: [Float]] {
            let agent = try PPO(environment: try cartPoles(4), configuration: zooPPO(epochs: 2), seed: seed)
            try agent.learn(totalTimesteps: 512)
            return agent.policy.stateDict().mapValues { $0.toArray() }
        }
        let a = try run(5)
        #expect(a == (try run(5)))
        #expect(a != (try run(6)))
    }

    @Test func badHyperparametersAreNamed() throws {
        var c = PPOConfiguration(); c.batchSize = 0
        #expect(throws: AgentError.invalidHyperparameter(name: "batch_size", value: "0", expected: "an integer >= 1")) {
            try PPO(environment: try cartPoles(1), configuration: c)
        }
        c = PPOConfiguration(); c.learningRate = .linear(from: -1, to: 0)
        #expect(throws: AgentError.self) { try PPO(environment: try cartPoles(1), configuration: c) }
    }

    @Test func aDivergingAgentStopsWithANamedError() throws {
        var c = zooPPO(epochs: 1); c.learningRate = .constant(1e30); c.maxGradNorm = 1e30
        let agent = try PPO(environment: try cartPoles(2), configuration: c, seed: 0)
        #expect {
            try agent.learn(totalTimesteps: 20_000)
        } throws: { error in
            guard case AgentError.nonfiniteLoss = error else { return false }
            return "\(error)".contains("non-finite")
        }
    }
}

@Suite struct PPOResumeTests {
    @Test func aResumedRunEndsWithTheUninterruptedRunsWeights() throws {
        let total = 1536
        let straight = try PPO(environment: try cartPoles(4), configuration: zooPPO(epochs: 3), seed: 11)
        try straight.learn(totalTimesteps: total)

        let first = try PPO(environment: try cartPoles(4), configuration: zooPPO(epochs: 3), seed: 11)
        try first.learn(totalTimesteps: total) { $0.numTimesteps < 640 }
        let saved = first.state()
        #expect(saved.metadata.numTimesteps == 640)
        let resumed = try PPO(environment: try cartPoles(4), configuration: zooPPO(epochs: 3), seed: 11)
        try resumed.load(saved)
        try resumed.learn(totalTimesteps: total)

        #expect(resumed.numTimesteps == straight.numTimesteps && resumed.updates == straight.updates)
        let a = straight.policy.stateDict().mapValues { $0.toArray() }
        #expect(a == resumed.policy.stateDict().mapValues { $0.toArray() })
        #expect(straight.episodes == resumed.episodes)
        // The interrupted run alone did differ from the straight one (the test is not vacuous).
        #expect(a != first.policy.stateDict().mapValues { $0.toArray() })
    }

    @Test func aStateFromAnotherSeedIsRefused() throws {
        let a = try PPO(environment: try cartPoles(2), configuration: zooPPO(epochs: 1), seed: 1)
        let b = try PPO(environment: try cartPoles(2), configuration: zooPPO(epochs: 1), seed: 2)
        #expect(throws: AgentError.self) { try b.load(a.state()) }
    }
}

@Suite struct PPOBoxActionTests {
    @Test func ppoTrainsAGaussianPolicyOnPendulum() throws {
        let env = try VectorEnvironment(count: 2, autoreset: .sameStep) { _ in try Environments.make("Pendulum-v1") }
        var c = PPOConfiguration(); c.nSteps = 64; c.batchSize = 64; c.nEpochs = 2; c.learningRate = .constant(1e-3)
        let agent = try PPO(environment: env, configuration: c, seed: 4)
        #expect(agent.policy.actionKind == .gaussian(1))
        try agent.learn(totalTimesteps: 512)
        #expect(agent.numTimesteps == 512 && agent.updates == 4 * 2 * 2)
        // log_std starts at 0 and is trained with the means.
        let logStd = try #require(agent.policy.logStd).detachedValue.toArray()
        #expect(logStd.count == 1 && logStd[0] != 0 && logStd[0].isFinite)
        // Sampled actions reach the environment clipped to [−2, 2].
        var rng = AgentRandom(seed: 0)
        let actions = agent.predict([Float](repeating: 0.5, count: 3 * 50), count: 50, deterministic: false, using: &rng)
        for action in actions {
            guard case .continuous(let v) = action else { Issue.record("not a continuous action"); continue }
            #expect(v.count == 1 && v[0] >= -2 && v[0] <= 2)
        }
    }
}
