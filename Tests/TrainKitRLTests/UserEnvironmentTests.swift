import Testing
import TrainKitRL

/// The user environment of docs/reinforcement-learning.md ("Your own environment"), verbatim.
struct Corridor: Environment {
    var position = 0
    var id: String { "Corridor" }
    var observationSpace: Space { .box(low: [0], high: [10]) }
    var actionSpace: Space { .discrete(2) }      // 0 left, 1 right

    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        position = 0
        return ([0], [:])
    }

    mutating func step(_ action: Action) throws -> Step {
        guard case .discrete(let a) = action, a == 0 || a == 1 else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: position, action: action,
                                                      space: actionSpace)
        }
        position = max(0, position + (a == 1 ? 1 : -1))
        return Step(observation: [Double(position)], reward: a == 1 ? 1 : 0, terminated: position == 10)
    }
}

@Suite struct UserEnvironmentTests {
    @Test func documentedCorridorRunsInAVectorEnvironment() throws {
        let envs = try VectorEnvironment(count: 4) { _ in try TimeLimit(Corridor(), maxEpisodeSteps: 50) }
        envs.reset(seed: 0)
        var last: VectorStep?
        for _ in 0..<10 { last = try envs.step(Array(repeating: .discrete(1), count: 4)) }
        #expect(last?.observations == [10, 10, 10, 10])
        #expect(last?.terminated == [true, true, true, true])
        #expect(last?.episodes[0]?.return == 10 && last?.episodes[3]?.length == 10)
        let next = try envs.step(Array(repeating: .discrete(1), count: 4))  // next-step autoreset
        #expect(next.observations == [0, 0, 0, 0] && next.rewards == [0, 0, 0, 0])
    }

    @Test func userEnvironmentWorksUnderTheWrappers() throws {
        var env = RecordEpisodeStatistics(try FrameStack(CheckedEnvironment(Corridor()), stackSize: 2))
        #expect(env.reset(seed: nil).observation == [0, 0])
        #expect(try env.step(.discrete(1)).observation == [0, 1])
        #expect(try env.step(.discrete(0)).observation == [1, 0])
        #expect(throws: EnvironmentError.actionOutsideSpace(environment: "Corridor", step: 2, action: .discrete(5),
                                                             space: .discrete(2))) {
            try env.step(.discrete(5))
        }
    }
}
