import Foundation
import Testing
import TrainKitCore
@testable import TrainKitRL

/// One-step episodes with observation [0] and reward −(a − 0.6)², a ∈ [−2, 2]: the best action is 0.6, found
/// in a few hundred SAC updates.
struct TargetActionEnvironment: Environment {
    var observationSpace: Space { .box(low: [-1], high: [1]) }
    var actionSpace: Space { .box(low: [-2], high: [2]) }
    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) { ([0], [:]) }
    mutating func step(_ action: Action) throws -> Step {
        guard case .continuous(let a) = action else { return Step(observation: [0], reward: -10, terminated: true) }
        return Step(observation: [0], reward: -(a[0] - 0.6) * (a[0] - 0.6), terminated: true)
    }
}

func pendulums(_ n: Int) throws -> VectorEnvironment {
    try VectorEnvironment(count: n, autoreset: .sameStep) { _ in try Environments.make("Pendulum-v1") }
}

func smallSAC() -> SACConfiguration {
    var c = SACConfiguration()
    c.netArch = [16, 16]; c.batchSize = 32; c.learningStarts = 50; c.learningRate = .constant(1e-3)
    return c
}

@Suite struct SquashedGaussianTests {
    @Test func logProbMatchesADirectFloat64Computation() {
        // log π(tanh u) = Σ log N(u; μ, σ) − Σ log(1 − tanh²u + 1e-6), written out here in float64.
        let means: [[Double]] = [[0.3, -1.2], [2.0, 0.0], [-0.5, 0.7]]
        let logStds: [[Double]] = [[-0.5, 0.2], [0.0, -2.0], [1.0, -0.1]]
        let us: [[Double]] = [[0.1, -0.4], [3.5, 0.01], [-2.2, 1.9]]
        let got = SquashedDiagonalGaussian.logProb(
            means: Tensor(means.flatMap { $0 }.map(Float.init), shape: [3, 2]),
            logStd: Tensor(logStds.flatMap { $0 }.map(Float.init), shape: [3, 2]),
            gaussianActions: Tensor(us.flatMap { $0 }.map(Float.init), shape: [3, 2])).toArray(as: Float.self)
        for r in 0..<3 {
            var expected = 0.0
            for i in 0..<2 {
                let sigma = Foundation.exp(logStds[r][i]), z = (us[r][i] - means[r][i]) / sigma
                expected += -0.5 * z * z - Foundation.log(sigma * (2 * Double.pi).squareRoot())
                expected -= Foundation.log(1 - Foundation.tanh(us[r][i]) * Foundation.tanh(us[r][i]) + 1e-6)
            }
            #expect(abs(Double(got[r]) - expected) < 1e-4 * Swift.max(1, abs(expected)), "row \(r): \(got[r]) vs \(expected)")
        }
    }

    @Test func actionsAreRescaledToTheBoxAndBack() {
        let low = [-2.0, 0.0], high = [2.0, 10.0]
        #expect(SquashedDiagonalGaussian.unscale([-1, 1], low: low, high: high) == [-2, 10])
        #expect(SquashedDiagonalGaussian.unscale([0, 0], low: low, high: high) == [0, 5])
        let back = SquashedDiagonalGaussian.scale([1.5, 2.5], low: low, high: high)
        #expect(abs(back[0] - 0.75) < 1e-12 && abs(back[1] + 0.5) < 1e-12)
    }
}

@Suite struct SACTests {
    @Test func polyakUpdateMovesTheTargetByTau() {
        let online = [Parameter(Tensor([Float(1), 2, 3], shape: [3]))], target = [Parameter(Tensor([Float(5), 6, 7], shape: [3]))]
        polyakUpdate(from: online, to: target, tau: 0.25)
        // 0.25 · [1, 2, 3] + 0.75 · [5, 6, 7] = [4, 5, 6]
        #expect(target[0].detachedValue.toArray(as: Float.self) == [4, 5, 6])
        polyakUpdate(from: online, to: target, tau: 1)
        #expect(target[0].detachedValue.toArray(as: Float.self) == [1, 2, 3])
    }

    @Test func theTargetCriticsStartAsCopiesAndFollowWithTau() throws {
        var c = smallSAC(); c.learningStarts = 10; c.tau = 0.5
        let agent = try SAC(environment: try pendulums(1), configuration: c, seed: 2)
        let critic = agent.policy.critic.stateDict().mapValues { $0.toArray(as: Float.self) }
        #expect(critic == agent.policy.criticTarget.stateDict().mapValues { $0.toArray(as: Float.self) })
        let before = agent.policy.criticTarget.stateDict().mapValues { $0.toArray(as: Float.self) }
        try agent.learn(totalTimesteps: 11)  // one gradient step at step 11
        #expect(agent.updates == 1)
        let after = agent.policy.critic.stateDict().mapValues { $0.toArray(as: Float.self) }
        let target = agent.policy.criticTarget.stateDict().mapValues { $0.toArray(as: Float.self) }
        for (k, t) in target {
            for i in t.indices { #expect(abs(t[i] - (0.5 * after[k]![i] + 0.5 * before[k]![i])) < 1e-6, "\(k)[\(i)]") }
        }
        #expect(after != before)
    }

    @Test(arguments: [100.0, -100.0])
    func theEntropyCoefficientMovesTowardTheTargetEntropy(target: Double) throws {
        // L_α = −log α · (log π + H̄): with H̄ = +100 the entropy is far below target, so ∂L/∂log α < 0 and Adam's
        // first step raises log α by lr (its first step is lr · g/|g|); with H̄ = −100 it lowers it by lr.
        var c = smallSAC(); c.learningStarts = 10; c.targetEntropy = target; c.learningRate = .constant(0.01)
        let agent = try SAC(environment: try pendulums(1), configuration: c, seed: 3)
        #expect(agent.entCoef == 1)
        try agent.learn(totalTimesteps: 11)
        let logAlpha = try #require(agent.logEntCoef).detachedValue.item()
        #expect(abs(logAlpha - (target > 0 ? 0.01 : -0.01)) < 1e-6, "log α = \(logAlpha)")
        #expect(agent.lastLosses["ent_coef"] == 1)  // the step used α from before its update, as SB3
        // A fixed coefficient stays put.
        c.entCoef = .fixed(0.2)
        let fixed = try SAC(environment: try pendulums(1), configuration: c, seed: 3)
        try fixed.learn(totalTimesteps: 20)
        #expect(fixed.logEntCoef == nil && fixed.entCoef == 0.2 && fixed.lastLosses["ent_coef"] == 0.2)
    }

    @Test func sacLearnsTheBestActionOfATargetTask() throws {
        let env = VectorEnvironment(count: 1) { _ in TargetActionEnvironment() }
        var c = smallSAC(); c.gamma = 0.9; c.learningRate = .constant(3e-3)
        let agent = try SAC(environment: env, configuration: c, seed: 0)
        var rng = AgentRandom(seed: 0)
        guard case .continuous(let initial) = agent.predict([0], count: 1, deterministic: true, using: &rng)[0] else {
            Issue.record("not a continuous action"); return
        }
        try agent.learn(totalTimesteps: 600)
        guard case .continuous(let learned) = agent.predict([0], count: 1, deterministic: true, using: &rng)[0] else {
            Issue.record("not a continuous action"); return
        }
        #expect(abs(learned[0] - 0.6) < 0.15, "deterministic action \(learned[0]) (started at \(initial[0]))")
        #expect(abs(initial[0] - 0.6) > 0.3)
    }

    @Test func actionsStayInTheBoxAndTheSpaceIsChecked() throws {
        let agent = try SAC(environment: try pendulums(1), configuration: smallSAC(), seed: 1)
        var rng = AgentRandom(seed: 0)
        for action in agent.predict([Float](repeating: 0.5, count: 3 * 40), count: 40, deterministic: false, using: &rng) {
            guard case .continuous(let v) = action else { Issue.record("not continuous"); continue }
            #expect(v.count == 1 && v[0] >= -2 && v[0] <= 2)
        }
        #expect {
            try SAC(environment: try cartPoles(1))
        } throws: { error in
            guard case AgentError.unsupportedSpace(let agent, _, let reason) = error else { return false }
            return agent == "sac" && reason.contains("box")
        }
        var c = SACConfiguration(); c.tau = 0
        #expect(throws: AgentError.invalidHyperparameter(name: "tau", value: "0.0", expected: "a number in (0, 1]")) {
            try SAC(environment: try pendulums(1), configuration: c)
        }
    }

    @Test func aDivergingAgentStopsWithANamedError() throws {
        var c = smallSAC(); c.learningRate = .constant(1e30); c.learningStarts = 10
        let agent = try SAC(environment: try pendulums(1), configuration: c, seed: 0)
        #expect {
            try agent.learn(totalTimesteps: 400)
        } throws: { error in
            guard case AgentError.nonfiniteLoss(let name, _, _, _) = error else { return false }
            return name == "sac"
        }
    }

    @Test func aResumedRunEndsWithTheUninterruptedRunsWeights() throws {
        var c = smallSAC(); c.gradientSteps = 2; c.trainFreq = 3
        let straight = try SAC(environment: try pendulums(2), configuration: c, seed: 5)
        try straight.learn(totalTimesteps: 300)
        let first = try SAC(environment: try pendulums(2), configuration: c, seed: 5)
        try first.learn(totalTimesteps: 300) { $0.numTimesteps < 150 }
        let resumed = try SAC(environment: try pendulums(2), configuration: c, seed: 5)
        try resumed.load(first.state())
        try resumed.learn(totalTimesteps: 300)
        #expect(resumed.updates == straight.updates && resumed.updates > 0)
        let a = straight.policy.stateDict().mapValues { $0.toArray(as: Float.self) }
        #expect(a == resumed.policy.stateDict().mapValues { $0.toArray(as: Float.self) })
        #expect(straight.logEntCoef!.detachedValue.toArray(as: Float.self) == resumed.logEntCoef!.detachedValue.toArray(as: Float.self))
        #expect(straight.episodes == resumed.episodes)
        #expect(a != first.policy.stateDict().mapValues { $0.toArray(as: Float.self) })
        // A state from another agent is refused.
        let ppo = try PPO(environment: try pendulums(2), configuration: PPOConfiguration(), seed: 5)
        #expect(throws: AgentError.self) { try resumed.load(ppo.state()) }
    }
}
