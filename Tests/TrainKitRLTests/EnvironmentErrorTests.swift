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
