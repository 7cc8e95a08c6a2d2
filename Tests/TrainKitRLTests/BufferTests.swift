import Testing
@testable import TrainKitRL

@Suite struct RolloutBufferTests {
    /// GAE by its closed form: Aₜ = Σₗ (γλ)ˡ δₜ₊ₗ up to the episode's end, with δ from the stored values.
    func closedFormAdvantages(rewards: [Double], values: [Double], starts: [Bool], lastValue: Double, lastDone: Bool,
                              gamma: Double, lambda: Double) -> [Double] {
        let n = rewards.count
        func nextValue(_ t: Int) -> Double { t + 1 < n ? values[t + 1] : lastValue }
        func endsAfter(_ t: Int) -> Bool { t + 1 < n ? starts[t + 1] : lastDone }
        let deltas = (0..<n).map { t in rewards[t] + gamma * nextValue(t) * (endsAfter(t) ? 0 : 1) - values[t] }
        return (0..<n).map { t in
            var sum = 0.0, weight = 1.0, l = t
            while l < n {
                sum += weight * deltas[l]
                if endsAfter(l) { break }
                weight *= gamma * lambda; l += 1
            }
            return sum
        }
    }

    @Test func gaeMatchesTheClosedFormAcrossEpisodeBoundaries() {
        var rng = AgentRandom(seed: 4)
        let steps = 9, envs = 2
        var buffer = RolloutBuffer(steps: steps, envs: envs, observationDimension: 1, actionDimension: 1)
        var perEnv: [(r: [Double], v: [Double], s: [Bool])] = Array(repeating: ([], [], []), count: envs)
        for t in 0..<steps {
            let r = (0..<envs).map { _ in rng.uniform() * 2 - 1 }
            let v = (0..<envs).map { _ in rng.uniform() }
            let s = (0..<envs).map { e in t == 0 || (t + e) % 4 == 0 }
            for e in 0..<envs { perEnv[e].r.append(r[e]); perEnv[e].v.append(v[e]); perEnv[e].s.append(s[e]) }
            buffer.add(observations: [0, 0], actions: [0, 0], rewards: r, episodeStarts: s, values: v, logProbs: [0, 0])
        }
        let lastValues = [0.3, -0.7], lastDones = [false, true]
        buffer.computeReturnsAndAdvantages(lastValues: lastValues, lastDones: lastDones, gamma: 0.9, gaeLambda: 0.8)
        for e in 0..<envs {
            let expected = closedFormAdvantages(rewards: perEnv[e].r, values: perEnv[e].v, starts: perEnv[e].s,
                                                lastValue: lastValues[e], lastDone: lastDones[e], gamma: 0.9, lambda: 0.8)
            for t in 0..<steps {
                #expect(abs(buffer.advantages[t * envs + e] - expected[t]) < 1e-12)
                #expect(abs(buffer.returns[t * envs + e] - (expected[t] + perEnv[e].v[t])) < 1e-12)
            }
        }
    }

    @Test func lambdaOneGivesDiscountedReturnsToTheEpisodeEnd() {
        var buffer = RolloutBuffer(steps: 3, envs: 1, observationDimension: 1, actionDimension: 1)
        for r in [1.0, 2.0, 3.0] {
            buffer.add(observations: [0], actions: [0], rewards: [r], episodeStarts: [false], values: [0.5], logProbs: [0])
        }
        buffer.computeReturnsAndAdvantages(lastValues: [10], lastDones: [true], gamma: 0.5, gaeLambda: 1)
        #expect(buffer.returns == [1 + 0.5 * 2 + 0.25 * 3, 2 + 0.5 * 3, 3])
    }
}

@Suite struct ReplayBufferTests {
    @Test func theRingOverwritesTheOldestTransition() {
        var buffer = ReplayBuffer(capacity: 3, observationDimension: 2, actionDimension: 1)
        for i in 0..<4 {
            buffer.add(observation: [Float(i), 0][...], nextObservation: [Float(i) + 1, 0], action: [Float(i)],
                       reward: Double(i), terminated: i == 2)
        }
        #expect(buffer.count == 3 && buffer.isFull && buffer.position == 1)
        #expect(buffer.rewards == [3, 1, 2])
        #expect(buffer.dones == [0, 0, 1])
        var rng = AgentRandom(seed: 1)
        let batch = buffer.sample(50, using: &rng)
        #expect(batch.observations.count == 100 && batch.rewards.count == 50)
        // Every sampled row is a stored transition: s′ = s + 1, action = reward = s.
        for i in 0..<50 {
            #expect(batch.nextObservations[2 * i] == batch.observations[2 * i] + 1)
            #expect(batch.rewards[i] == batch.actions[i] && batch.rewards[i] != 0)
        }
        #expect(Set(batch.rewards) == [1, 2, 3])
    }
}
