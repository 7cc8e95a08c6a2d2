import Foundation
import Testing
import TrainKitCore
import TrainKitOptim
@testable import TrainKitRL

@Suite struct A2CTests {
    /// An A2C on CartPole whose action head is zero (π = ½ for both actions, H = log 2) and whose value head is
    /// the constant 0.3, with a hand-filled rollout of two steps.
    func handRollout(_ c: A2CConfiguration) throws -> A2C {
        let agent = try A2C(environment: try cartPoles(1), configuration: c, seed: 0)
        agent.policy.actionNet.weight.value = Tensor.zeros([2, 64])
        agent.policy.actionNet.bias!.value = Tensor.zeros([2])
        agent.policy.valueNet.weight.value = Tensor.zeros([1, 64])
        agent.policy.valueNet.bias!.value = Tensor([0.3], shape: [1])
        agent.buffer.add(observations: [0.1, 0, 0, 0], actions: [0], rewards: [1], episodeStarts: [true],
                         values: [0.5], logProbs: [0])
        agent.buffer.add(observations: [0, 0.2, 0, 0], actions: [1], rewards: [1], episodeStarts: [false],
                         values: [0.25], logProbs: [0])
        agent.buffer.computeReturnsAndAdvantages(lastValues: [0], lastDones: [false], gamma: 0.9, gaeLambda: 1)
        return agent
    }

    @Test func theLossOfATinyRolloutMatchesAHandComputation() throws {
        // γ = 0.9, λ = 1, rewards 1, 1, stored values 0.5, 0.25, last value 0:
        //   A₁ = 1 − 0.25 = 0.75, R₁ = 1;  A₀ = 1 + 0.9·0.25 − 0.5 + 0.9·0.75 = 1.4, R₀ = 1.9
        //   policy loss = −mean(A · log ½) = 1.075 · log 2 = 0.7451330
        //   value loss = ((1.9 − 0.3)² + (1 − 0.3)²) / 2 = 1.525;  entropy loss = −log 2
        //   loss = 0.7451330 + 0.01 · (−0.6931472) + 0.5 · 1.525 = 1.5007016
        var c = A2CConfiguration(); c.nSteps = 2; c.entCoef = 0.01; c.gamma = 0.9
        let agent = try handRollout(c)
        let (loss, parts) = agent.loss()
        #expect(abs(parts["policy_gradient_loss"]!.item() - 0.7451330) < 1e-5)
        #expect(abs(parts["value_loss"]!.item() - 1.525) < 1e-5)
        #expect(abs(parts["entropy_loss"]!.item() + 0.6931472) < 1e-5)
        #expect(abs(loss.item() - 1.5007016) < 1e-5)
        // normalize_advantage: A → ±1/√2 (std with n − 1), so the policy term cancels: 0.5 · 1.525 − 0.01 log 2.
        c.normalizeAdvantage = true
        let normalized = try handRollout(c).loss().loss.item()
        #expect(abs(normalized - 0.7555685) < 1e-5)
    }

    @Test func theOptimizerIsSB3sRMSprop() throws {
        let agent = try A2C(environment: try cartPoles(2), seed: 0)
        let rms = try #require(agent.optimizer as? Optimizer<RMSprop>)
        #expect(rms.defaults.alpha == 0.99 && rms.defaults.eps == 1e-5 && rms.defaults.lr == 7e-4)
        var c = A2CConfiguration(); c.useRMSProp = false
        #expect(try A2C(environment: try cartPoles(2), configuration: c).optimizer is Optimizer<Adam>)
        // One update per rollout of n_steps × n_envs steps.
        try agent.learn(totalTimesteps: 100)
        #expect(agent.numTimesteps == 100 && agent.updates == 10)
    }

    @Test func a2cLearnsCartPoleBeyondARandomPolicy() throws {
        var c = A2CConfiguration(); c.learningRate = .constant(3e-3); c.policyLayers = [32, 32]; c.valueLayers = [32, 32]
        let agent = try A2C(environment: try cartPoles(8), configuration: c, seed: 0)
        var rng = AgentRandom(seed: 3)
        let before = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 10,
                                        deterministic: true, seed: 100, using: &rng)
        try agent.learn(totalTimesteps: A2CTests.smokeSteps)
        let after = try evaluatePolicy(agent, make: { try Environments.make("CartPole-v1") }, episodes: 10,
                                       deterministic: true, seed: 100, using: &rng)
        #expect(before.mean < 60)
        #expect(after.mean > 100, "mean return \(after.mean) after \(agent.numTimesteps) steps (before: \(before.mean))")
    }
    static let smokeSteps = 6_000

    @Test func aResumedRunEndsWithTheUninterruptedRunsWeights() throws {
        let straight = try A2C(environment: try cartPoles(4), seed: 7)
        try straight.learn(totalTimesteps: 600)
        let first = try A2C(environment: try cartPoles(4), seed: 7)
        try first.learn(totalTimesteps: 600) { $0.numTimesteps < 300 }
        let resumed = try A2C(environment: try cartPoles(4), seed: 7)
        try resumed.load(first.state())
        try resumed.learn(totalTimesteps: 600)
        #expect(resumed.updates == straight.updates && resumed.numTimesteps == straight.numTimesteps)
        let a = straight.policy.stateDict().mapValues { $0.toArray(as: Float.self) }
        #expect(a == resumed.policy.stateDict().mapValues { $0.toArray(as: Float.self) })
        #expect(straight.episodes == resumed.episodes)
        #expect(a != first.policy.stateDict().mapValues { $0.toArray(as: Float.self) })
        // A PPO state is refused.
        let ppo = try PPO(environment: try cartPoles(4), configuration: zooPPO(epochs: 1), seed: 7)
        #expect(throws: AgentError.self) { try resumed.load(ppo.state()) }
    }

    @Test func badSettingsAndDivergenceAreNamed() throws {
        var c = A2CConfiguration(); c.rmsPropEps = 0
        #expect(throws: AgentError.invalidHyperparameter(name: "rms_prop_eps", value: "0.0", expected: "a number > 0")) {
            try A2C(environment: try cartPoles(1), configuration: c)
        }
        c = A2CConfiguration(); c.nSteps = 0
        #expect(throws: AgentError.self) { try A2C(environment: try cartPoles(1), configuration: c) }
        c = A2CConfiguration(); c.learningRate = .constant(1e30); c.maxGradNorm = 1e30
        let agent = try A2C(environment: try cartPoles(2), configuration: c, seed: 0)
        #expect {
            try agent.learn(totalTimesteps: 20_000)
        } throws: { error in
            guard case AgentError.nonfiniteLoss(let name, _, _, _) = error else { return false }
            return name == "a2c"
        }
        // Box actions are fine (a Gaussian policy), a discrete observation is not.
        let pendulum = try A2C(environment: try pendulums(2), seed: 0)
        #expect(pendulum.policy.actionKind == .gaussian(1))
        let lake = try VectorEnvironment(count: 1) { _ in try Environments.make("FrozenLake-v1") }
        #expect(throws: AgentError.self) { try A2C(environment: lake) }
    }
}
