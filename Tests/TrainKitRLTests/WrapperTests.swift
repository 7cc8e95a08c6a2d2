import Foundation
import Testing
import TrainKitRL

/// The deterministic environment of `scripts/sb3-vecnormalize.py`: episodes of `3 + index` steps; at step `t` the
/// observation is `[sin(0.3t + i), 0.5t + i, (t mod 4) − 1.5]` and the reward reaching `t` is `3cos(0.7t + i) + i`
/// (rounded to float32 as Stable-Baselines3's buffers hold it).
struct Wave: Environment {
    let index: Int
    var t = 0
    var observationSpace: Space { .box(low: [-.infinity, -.infinity, -.infinity], high: [.infinity, .infinity, .infinity]) }
    var actionSpace: Space { .discrete(2) }

    func observation() -> [Double] {
        let (t, i) = (Double(self.t), Double(index))
        return [sin(0.3 * t + i), 0.5 * t + i, Double(self.t % 4) - 1.5]
    }

    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        t = 0
        return (observation(), [:])
    }

    mutating func step(_ action: Action) throws -> Step {
        t += 1
        let reward = Double(Float(3 * cos(0.7 * Double(t) + Double(index)) + Double(index)))
        return Step(observation: observation(), reward: reward, terminated: t >= 3 + index)
    }
}

@Suite struct WrapperTests {
    struct Record: Decodable {
        struct Step: Decodable { let observations: [Double], rewards: [Double], dones: [Bool], final: [String: [Double]] }
        let envs: Int
        let reset: [Double]
        let steps: [Step]
        let obsMean: [Double], obsVar: [Double], retVar: Double
        enum CodingKeys: String, CodingKey {
            case envs, reset, steps, obsMean = "obs_mean", obsVar = "obs_var", retVar = "ret_var"
        }
    }

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    /// Observations, rewards, final observations and statistics agree with Stable-Baselines3's `VecNormalize`
    /// (`scripts/sb3-vecnormalize.py`) at every step. SB3 averages the float32 batch in float32, TrainKit in float64:
    /// 1e-5 on the float32 outputs covers that.
    @Test func vectorNormalizeMatchesStableBaselines3() throws {
        let fixture = try GymnasiumFixture.load("vecnormalize", as: Record.self)
        let n = fixture.envs
        let envs = try VectorNormalize(VectorEnvironment(count: n, autoreset: .sameStep) { Wave(index: $0) })
        let reset = envs.reset(seed: 0).map(Double.init)
        #expect(Self.close(reset, fixture.reset, 1e-5))
        var finals = 0
        for (t, record) in fixture.steps.enumerated() {
            let out = try envs.step(Array(repeating: .discrete(0), count: n))
            #expect(Self.close(out.observations.map(Double.init), record.observations, 1e-5),
                    "step \(t)")
            #expect(Self.close(out.rewards, record.rewards, 1e-5), "step \(t) rewards")
            #expect(zip(out.terminated, out.truncated).map { $0 || $1 } == record.dones)
            let expectedFinals = record.final
            #expect(Set(out.finalObservations.keys.map(String.init)) == Set(expectedFinals.keys))
            for (i, final) in out.finalObservations {
                #expect(Self.close(final, expectedFinals[String(i)]!, 1e-5), "step \(t) final \(i)")
                finals += 1
            }
        }
        #expect(finals >= 10)
        #expect(Self.close(envs.observationStatistics.mean, fixture.obsMean, 1e-6))
        #expect(Self.close(envs.observationStatistics.variance, fixture.obsVar, 1e-6))
        #expect(Self.close(envs.returnStatistics.variance, [fixture.retVar], 1e-9))
    }

    /// Hand-computed: from mean 0, variance 1, count 1e-4, the batch [1, 3] (mean 2, variance 1) gives
    /// N = 2.0001, mean = 2·2/N, variance = (1·1e-4 + 1·2 + 4·1e-4·2/N) / N.
    @Test func runningMeanStdMergesLikeChansAlgorithm() {
        var stats = RunningMeanStd(dimension: 1)
        stats.update([1.0, 3.0], rows: 2)
        let total = 2.0001
        #expect(abs(stats.mean[0] - 4 / total) < 1e-15)
        #expect(abs(stats.variance[0] - (1e-4 + 2 + 4 * 1e-4 * 2 / total) / total) < 1e-15)
        #expect(stats.count == 2 + 1e-4)
    }

    @Test func vectorNormalizeClipsAndFreezesOutsideTraining() throws {
        let envs = try VectorNormalize(VectorEnvironment(count: 2) { Wave(index: $0) }, clipObservation: 0.5)
        let first = envs.reset(seed: nil)
        #expect(first.allSatisfy { abs($0) <= 0.5 })
        envs.training = false
        let frozen = envs.observationStatistics
        _ = try envs.step([.discrete(0), .discrete(0)])
        #expect(envs.observationStatistics == frozen)
        #expect(throws: EnvironmentError.self) { try VectorNormalize(VectorEnvironment(count: 1) { Wave(index: $0) }, gamma: 2) }
    }

    /// FrameStack with reset padding: the stack starts as copies of the reset observation and shifts by one frame
    /// per step, oldest first (Gymnasium's `FrameStackObservation`).
    @Test func frameStackShiftsOldestFirst() throws {
        var env = try FrameStack(Wave(index: 1), stackSize: 3)
        let o0 = Wave(index: 1).observation()
        #expect(env.reset(seed: nil).observation == o0 + o0 + o0)
        #expect(env.observationSpace.flatDimension == 9)
        let s1 = try env.step(.discrete(0))
        var w = Wave(index: 1)
        _ = try w.step(.discrete(0))
        let o1 = w.observation()
        #expect(s1.observation == o0 + o0 + o1)
        _ = try w.step(.discrete(0))
        #expect(try env.step(.discrete(0)).observation == o0 + o1 + w.observation())

        var zero = try FrameStack(Wave(index: 0), stackSize: 2, padding: .zero)
        #expect(zero.reset(seed: nil).observation == [0, 0, 0] + Wave(index: 0).observation())
        #expect(throws: EnvironmentError.self) { try FrameStack(Wave(index: 0), stackSize: 0) }
    }

    @Test func recordEpisodeStatisticsReportsReturnAndLength() throws {
        var env = RecordEpisodeStatistics(Wave(index: 2))
        _ = env.reset(seed: nil)
        var total = 0.0, last: Step?
        for _ in 0..<5 {
            last = try env.step(.discrete(0))
            total += last!.reward
        }
        #expect(last?.terminated == true)
        #expect(last?.info["episode.r"] == total && last?.info["episode.l"] == 5)
        #expect(env.returns == [total] && env.lengths == [5])
    }
}
