import Testing
import TrainKitRL

/// Bad input to environments is a named `EnvironmentError` (what, which environment, which step), never a crash.
@Suite struct EnvironmentErrorTests {
    @Test func unknownIdListsTheKnownIds() {
        #expect(throws: EnvironmentError.unknownEnvironment(id: "CartPole-v9", known: Environments.ids)) {
            try Environments.make("CartPole-v9")
        }
        #expect(Environments.ids.contains("CartPole-v1"))
    }

    @Test func actionOutsideTheSpaceNamesEnvironmentAndStep() throws {
        var env = try Environments.make("CartPole-v1")
        _ = env.reset(seed: 1)
        _ = try env.step(.discrete(1))
        #expect(throws: EnvironmentError.actionOutsideSpace(environment: "CartPole-v1", step: 1, action: .discrete(2),
                                                             space: .discrete(2))) {
            try env.step(.discrete(2))
        }
        #expect(throws: EnvironmentError.self) { try env.step(.continuous([1])) }
    }

    @Test func stepAfterTerminationWithoutResetThrows() throws {
        var env = try Environments.makeStateful("CartPole-v1")
        _ = try env.reset(state: [0, 0, 0.2, 0])  // θ just inside 12°: one push ends the episode
        var steps = 0
        while try !env.step(.discrete(0)).terminated { steps += 1 }
        #expect(throws: EnvironmentError.stepAfterEnd(environment: "CartPole-v1", step: steps + 1)) {
            try env.step(.discrete(0))
        }
        _ = env.reset(seed: 2)
        _ = try env.step(.discrete(0))  // a reset clears the end
    }

    @Test func stepAfterTruncationThrows() throws {
        var env = try Environments.make("CartPole-v1", maxEpisodeSteps: 3)
        _ = env.reset(seed: 1)
        var last: Step?
        for _ in 0..<3 { last = try env.step(.discrete(0)) }
        #expect(last?.truncated == true)
        #expect(throws: EnvironmentError.stepAfterEnd(environment: "CartPole-v1", step: 3)) {
            try env.step(.discrete(0))
        }
    }

    @Test func badStateIsRefused() throws {
        var env = try Environments.makeStateful("CartPole-v1")
        #expect(throws: EnvironmentError.self) { try env.reset(state: [0, 0, 0]) }
        #expect(throws: EnvironmentError.self) { try env.reset(state: [0, .nan, 0, 0]) }
    }
}

/// A user environment that misbehaves on purpose: from step `badStep` on it returns `reward`, and its observations
/// have `width` numbers (the space says 2).
struct Faulty: Environment {
    var badStep = 2
    var reward = Double.nan
    var width = 2
    var resetWidth = 2
    var t = 0
    var id: String { "Faulty" }
    var observationSpace: Space { .box(low: [-1, -1], high: [1, 1]) }
    var actionSpace: Space { .discrete(2) }

    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        t = 0
        return (Array(repeating: 0, count: resetWidth), [:])
    }

    mutating func step(_ action: Action) throws -> Step {
        t += 1
        let bad = t > badStep
        return Step(observation: Array(repeating: 0, count: bad ? width : 2), reward: bad ? reward : 1, terminated: false)
    }
}

@Suite struct UserEnvironmentErrorTests {
    @Test func vectorEnvironmentNamesANonFiniteReward() throws {
        let envs = try VectorEnvironment(count: 3, threads: 2) { i in Faulty(badStep: i == 1 ? 2 : 100) }
        envs.reset(seed: 0)
        _ = try envs.step([.discrete(0), .discrete(0), .discrete(0)])
        _ = try envs.step([.discrete(0), .discrete(0), .discrete(0)])
        // Faulty's third step (index 2) returns NaN in environment 1.
        let error = #expect(throws: EnvironmentError.self) { try envs.step([.discrete(0), .discrete(0), .discrete(0)]) }
        guard case .nonFiniteReward(let id, let step, let value)? = error else {
            Issue.record("expected nonFiniteReward, got \(String(describing: error))")
            return
        }
        #expect(id == "Faulty" && step == 2 && value.isNaN)
        #expect(error!.description == "Faulty: step 2: the reward is nan")
    }

    @Test func vectorEnvironmentNamesAWrongSizedObservation() throws {
        let envs = try VectorEnvironment(count: 2) { i in Faulty(badStep: 1, reward: 1, width: i == 1 ? 3 : 2) }
        envs.reset(seed: 0)
        _ = try envs.step([.discrete(0), .discrete(0)])
        #expect(throws: EnvironmentError.observationShape(environment: "Faulty", index: 1, step: 1, expected: 2, got: 3)) {
            try envs.step([.discrete(0), .discrete(0)])
        }
        let atReset = try VectorEnvironment(count: 2) { i in Faulty(resetWidth: i == 0 ? 5 : 2) }
        #expect(atReset.reset(seed: 0).count == 4)
        #expect(throws: EnvironmentError.observationShape(environment: "Faulty", index: 0, step: -1, expected: 2, got: 5)) {
            try atReset.step([.discrete(0), .discrete(0)])
        }
    }

    /// A wrong-sized reset observation is reported by the next step; a clean full reset clears it.
    @Test func aCleanResetClearsAResetError() throws {
        final class Resets: @unchecked Sendable { var count = 0 }
        struct FirstResetWide: Environment {
            let resets: Resets
            var observationSpace: Space { .box(low: [0, 0], high: [1, 1]) }
            var actionSpace: Space { .discrete(2) }
            mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
                resets.count += 1
                return (Array(repeating: 0, count: resets.count == 1 ? 3 : 2), [:])
            }
            mutating func step(_ action: Action) throws -> Step { Step(observation: [0, 0], reward: 0, terminated: false) }
        }
        let resets = Resets()
        let envs = try VectorEnvironment(count: 1) { _ in FirstResetWide(resets: resets) }
        envs.reset(seed: 0)
        #expect(throws: EnvironmentError.self) { try envs.step([.discrete(0)]) }
        envs.reset(seed: 0)
        _ = try envs.step([.discrete(0)])
    }

    @Test func vectorEnvironmentRefusesBadActionsAndMismatchedSpaces() throws {
        let envs = try VectorEnvironment(count: 2) { _ in try Environments.make("CartPole-v1") }
        #expect(throws: EnvironmentError.stepBeforeReset(environment: "CartPole-v1")) {
            try envs.step([.discrete(0), .discrete(0)])
        }
        envs.reset(seed: 1)
        #expect(throws: EnvironmentError.actionCount(expected: 2, got: 1)) { try envs.step([.discrete(0)]) }
        #expect(throws: EnvironmentError.actionOutsideSpace(environment: "CartPole-v1", step: 0, action: .discrete(7),
                                                             space: .discrete(2))) {
            try envs.step([.discrete(0), .discrete(7)])
        }
        let mixed = try VectorEnvironment(count: 2) { i in try Environments.make(i == 0 ? "CartPole-v1" : "Acrobot-v1") }
        mixed.reset(seed: 1)
        #expect(throws: EnvironmentError.self) { try mixed.step([.discrete(0), .discrete(0)]) }
    }

    @Test func checkedEnvironmentNamesEachMisuse() throws {
        var env = CheckedEnvironment(Faulty(badStep: 1, reward: .infinity))
        #expect(throws: EnvironmentError.stepBeforeReset(environment: "Faulty")) { try env.step(.discrete(0)) }
        _ = env.reset(seed: nil)
        #expect(throws: EnvironmentError.actionOutsideSpace(environment: "Faulty", step: 0, action: .continuous([0]),
                                                             space: .discrete(2))) {
            try env.step(.continuous([0]))
        }
        _ = try env.step(.discrete(1))
        #expect(throws: EnvironmentError.nonFiniteReward(environment: "Faulty", step: 1, value: .infinity)) {
            try env.step(.discrete(1))
        }
        var wide = CheckedEnvironment(Faulty(badStep: 0, reward: 1, width: 4))
        _ = wide.reset(seed: nil)
        #expect(throws: EnvironmentError.observationShape(environment: "Faulty", index: nil, step: 0, expected: 2, got: 4)) {
            try wide.step(.discrete(0))
        }
        var cart = CheckedEnvironment(AnyEnvironment(try Environments.make("CartPole-v1", maxEpisodeSteps: 1)))
        _ = cart.reset(seed: 3)
        #expect(try cart.step(.discrete(0)).truncated)
        #expect(throws: EnvironmentError.stepAfterEnd(environment: "CartPole-v1", step: 1)) { try cart.step(.discrete(0)) }
    }
}

@Suite struct OptionTests {
    /// `sutton_barto_reward`: 0 per step, −1 on the terminating step (Gymnasium's CartPole option).
    @Test func suttonBartoRewardScoresOnlyTheFall() throws {
        var env = try Environments.makeStateful("CartPole-v1", maxEpisodeSteps: nil,
                                                options: ["sutton_barto_reward": "true"])
        _ = try env.reset(state: [0, 0, 0.15, 0])
        var rewards: [Double] = []
        while true {
            let step = try env.step(.discrete(0))
            rewards.append(step.reward)
            if step.terminated { break }
        }
        #expect(rewards.count > 1 && rewards.dropLast().allSatisfy { $0 == 0 } && rewards.last == -1)
        #expect(throws: EnvironmentError.self) { try Environments.make("CartPole-v1", options: ["gravity": "3"]) }
    }
}
