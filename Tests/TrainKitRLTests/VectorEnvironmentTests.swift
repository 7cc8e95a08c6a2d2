import Testing
import TrainKitRL

@Suite struct VectorEnvironmentTests {
    /// A seeded action stream shared by the runs being compared.
    static func actions(_ count: Int, step: Int) -> [Action] {
        var rng = EnvironmentRandom(seed: UInt64(1000 + step))
        return (0..<count).map { _ in .discrete(rng.int(below: 2)) }
    }

    @Test func resetSeedsEnvironmentIWithSeedPlusI() throws {
        let envs = try VectorEnvironment(count: 3) { _ in try Environments.make("CartPole-v1") }
        let batch = envs.reset(seed: 7)
        #expect(batch.count == 3 * 4)
        for i in 0..<3 {
            var single = try Environments.make("CartPole-v1")
            let expected = single.reset(seed: 7 + UInt64(i)).observation.map(Float.init)
            #expect(Array(batch[(i * 4)..<(i * 4 + 4)]) == expected)
        }
        #expect(Array(batch[0..<4]) != Array(batch[4..<8]))
    }

    /// `nextStep`: the ending step returns the last observation; the next one resets with reward 0.
    @Test func nextStepAutoresetMatchesSteppingByHand() throws {
        let n = 4
        let envs = try VectorEnvironment(count: n) { _ in try Environments.make("CartPole-v1") }
        var singles = try (0..<n).map { _ in try Environments.make("CartPole-v1") }
        _ = envs.reset(seed: 3)
        for i in 0..<n { _ = singles[i].reset(seed: 3 + UInt64(i)) }
        var pending = [Bool](repeating: false, count: n)
        var returns = [Double](repeating: 0, count: n), lengths = [Int](repeating: 0, count: n)
        var ended = 0
        for t in 0..<300 {
            let actions = Self.actions(n, step: t)
            let out = try envs.step(actions)
            for i in 0..<n {
                var expected: [Float]
                if pending[i] {
                    expected = singles[i].reset(seed: nil).observation.map(Float.init)
                    #expect(out.rewards[i] == 0 && !out.terminated[i] && !out.truncated[i])
                    #expect(out.episodes[i] == nil)
                    pending[i] = false
                } else {
                    let s = try singles[i].step(actions[i])
                    expected = s.observation.map(Float.init)
                    #expect(out.rewards[i] == s.reward && out.terminated[i] == s.terminated)
                    returns[i] += s.reward
                    lengths[i] += 1
                    if s.isDone {
                        pending[i] = true
                        ended += 1
                        #expect(out.episodes[i]?.return == returns[i] && out.episodes[i]?.length == lengths[i])
                        returns[i] = 0
                        lengths[i] = 0
                    } else {
                        #expect(out.episodes[i] == nil)
                    }
                }
                #expect(Array(out.observations[(i * 4)..<(i * 4 + 4)]) == expected, "env \(i) step \(t)")
            }
            #expect(out.finalObservations.isEmpty)
        }
        #expect(ended > 10)
    }

    @Test(arguments: [AutoresetMode.nextStep, .sameStep])
    func threadsGiveTheSameResultsAsOneThread(_ mode: AutoresetMode) throws {
        let one = try VectorEnvironment(count: 7, threads: 1, autoreset: mode) { _ in try Environments.make("CartPole-v1") }
        let three = try VectorEnvironment(count: 7, threads: 3, autoreset: mode) { _ in
            try Environments.make("CartPole-v1")
        }
        #expect(one.reset(seed: 11) == three.reset(seed: 11))
        for t in 0..<200 {
            let a = try one.step(Self.actions(7, step: t)), b = try three.step(Self.actions(7, step: t))
            #expect(a.observations == b.observations && a.rewards == b.rewards)
            #expect(a.terminated == b.terminated && a.truncated == b.truncated)
            #expect(a.finalObservations == b.finalObservations)
            #expect(a.episodes.mapValues { "\($0)" } == b.episodes.mapValues { "\($0)" })
        }
    }
}

@Suite struct ObservationBufferTests {
    /// A step writes into the buffer the environment keeps: once the caller has dropped the previous
    /// observation, the next one lives at the same address (no allocation), and a kept one is never overwritten.
    @Test(arguments: ["CartPole-v1", "Acrobot-v1", "MountainCar-v0", "Pendulum-v1"])
    func stepsReuseTheObservationBuffer(_ id: String) throws {
        var env = try Environments.make(id, maxEpisodeSteps: nil)
        _ = env.reset(seed: 1)
        let action: Action = id == "Pendulum-v1" ? .continuous([0.5]) : .discrete(1)
        func address(_ env: inout any Environment) throws -> UInt {
            try env.step(action).observation.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        }
        let first = try address(&env)
        #expect(try address(&env) == first)
        let kept = try env.step(action).observation
        let copy = kept
        _ = try env.step(action)
        #expect(kept == copy)
    }
}
