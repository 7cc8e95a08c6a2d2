import Foundation
import Testing
import TrainKitCore
@testable import TrainKitRL

@Suite struct DistributionTests {
    @Test func categoricalLogProbAndEntropyMatchTheDefinition() {
        let logits: [Float] = [0.2, -1.0, 2.0, 0.5, 0.5, 0.5]
        let t = Tensor(logits, shape: [2, 3])
        let logP = Categorical.logProb(logits: t, actions: Tensor([2, 1], shape: [2])).toArray()
        let entropy = Categorical.entropy(logits: t).toArray()
        for row in 0..<2 {
            let z = logits[(row * 3)..<(row * 3 + 3)].map { exp(Double($0)) }
            let p = z.map { $0 / z.reduce(0, +) }
            #expect(abs(Double(logP[row]) - log(p[row == 0 ? 2 : 1])) < 1e-6)
            #expect(abs(Double(entropy[row]) - -p.reduce(0) { $0 + $1 * log($1) }) < 1e-6)
        }
        #expect(abs(Double(entropy[1]) - log(3)) < 1e-6)  // uniform over 3
    }

    @Test func categoricalSamplingFollowsTheProbabilities() {
        var rng = AgentRandom(seed: 7)
        let logits: [Float] = [0, log(3)]  // p = [0.25, 0.75]
        var ones = 0
        for _ in 0..<20_000 {
            let (a, lp) = Categorical.sample(logits[...], using: &rng)
            ones += a
            #expect(abs(lp - log(a == 1 ? 0.75 : 0.25)) < 1e-6)
        }
        #expect(abs(Double(ones) / 20_000 - 0.75) < 0.015)
        #expect(Categorical.mode(logits[...]) == 1)
    }

    @Test func gaussianLogProbAndEntropyMatchTheDensity() {
        let means: [Float] = [0.5, -1, 0, 2], logStd: [Float] = [log(0.5), 0.3], actions: [Float] = [0, 0, 1, 1]
        let logP = DiagonalGaussian.logProb(means: Tensor(means, shape: [2, 2]), logStd: Tensor(logStd, shape: [2]),
                                            actions: Tensor(actions, shape: [2, 2])).toArray()
        for row in 0..<2 {
            var expected = 0.0
            for i in 0..<2 {
                let sigma = exp(Double(logStd[i])), x = Double(actions[row * 2 + i]), mu = Double(means[row * 2 + i])
                expected += log(exp(-(x - mu) * (x - mu) / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot()))
            }
            #expect(abs(Double(logP[row]) - expected) < 1e-5)
        }
        let entropy = DiagonalGaussian.entropy(logStd: Tensor(logStd, shape: [2]), batch: 3).toArray()
        let expected = logStd.reduce(0.0) { $0 + 0.5 * log(2 * Double.pi * exp(1)) + Double($1) }
        #expect(entropy.count == 3 && entropy.allSatisfy { abs(Double($0) - expected) < 1e-5 })
    }

    @Test func gaussianSamplesHaveTheRequestedMoments() {
        var rng = AgentRandom(seed: 2)
        var sum = 0.0, squares = 0.0
        let n = 20_000
        for _ in 0..<n {
            let (a, _) = DiagonalGaussian.sample(means: [1.5][...], logStd: [Float(log(0.5))], using: &rng)
            sum += a[0]; squares += a[0] * a[0]
        }
        let mean = sum / Double(n), variance = squares / Double(n) - mean * mean
        #expect(abs(mean - 1.5) < 0.02 && abs(variance - 0.25) < 0.01)
    }
}

@Suite struct ScheduleTests {
    @Test func schedulesFollowSB3() {
        #expect(Schedule.constant(3).value(progressRemaining: 0.2) == 3)
        #expect(abs(Schedule.linear(from: 1e-3, to: 0).value(progressRemaining: 0.25) - 2.5e-4) < 1e-15)
        // get_linear_fn(1.0, 0.04, 0.16): halfway through the fraction, then flat.
        let eps = Schedule.linearFraction(from: 1, to: 0.04, fraction: 0.16)
        #expect(abs(eps.value(progressRemaining: 1 - 0.08) - 0.52) < 1e-12)
        #expect(eps.value(progressRemaining: 0.5) == 0.04)
        #expect(eps.initialValue == 1)
    }

    @Test func theRandomStreamIsSeededAndUniform() {
        var a = AgentRandom(seed: 5), b = AgentRandom(seed: 5), c = AgentRandom(seed: 6)
        let xs = (0..<1000).map { _ in a.uniform() }
        #expect(xs == (0..<1000).map { _ in b.uniform() })
        #expect(xs != (0..<1000).map { _ in c.uniform() })
        #expect(abs(xs.reduce(0, +) / 1000 - 0.5) < 0.03)
        #expect(a.permutation(50).sorted() == Array(0..<50))
    }
}
