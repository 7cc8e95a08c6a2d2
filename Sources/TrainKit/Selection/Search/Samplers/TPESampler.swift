import Foundation

/// The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl, "Algorithms for Hyper-Parameter
/// Optimization", NeurIPS 2011), per dimension as in the paper and hyperopt.
///
/// After `startupTrials` complete trials drawn at random, each new trial:
/// 1. sorts the `n` complete trials best first and splits them at the quantile `γ`: the best
///    `n_good = min(⌈γ·n⌉, 25)` (at least 1) form the good set, the rest (and every pruned trial) the bad set;
/// 2. per dimension fits a density to each set, `l(x)` on the good values and `g(x)` on the bad ones
///    (``ParzenEstimator`` on the dimension's internal scale: log for loguniform and log ints; a smoothed
///    histogram for choices);
/// 3. draws `candidates` values from `l(x)` and keeps the one that maximizes `l(x) / g(x)`.
///
/// Maximizing `l/g` maximizes expected improvement over the `γ`-quantile `y*` (the paper's eq. 4:
/// `EI_{y*}(x) ∝ (γ + g(x)/l(x) · (1 − γ))⁻¹`), so trials concentrate where good results were seen while
/// the prior component keeps some mass everywhere. Each trial's draws come from `(seed, trial number)`.
public struct TPESampler: Sampler {
    /// With the trial number, decides every draw.
    public var seed: UInt64
    /// Random trials before the model is used (complete trials needed).
    public var startupTrials: Int
    /// Candidates drawn from `l(x)` per dimension.
    public var candidates: Int
    /// The quantile splitting good from bad trials.
    public var gamma: Double
    /// Weight of the prior component in each density.
    public var priorWeight: Double

    public init(
        seed: UInt64 = 0, startupTrials: Int = 10, candidates: Int = 24, gamma: Double = 0.25,
        priorWeight: Double = 1
    ) {
        precondition(
            startupTrials >= 1 && candidates >= 1 && gamma > 0 && gamma < 1 && priorWeight > 0,
            "TPESampler: needs startupTrials >= 1, candidates >= 1, 0 < gamma < 1, priorWeight > 0")
        self.seed = seed
        self.startupTrials = startupTrials
        self.candidates = candidates
        self.gamma = gamma
        self.priorWeight = priorWeight
    }

    public func sample(space: SearchSpace, trialNumber: Int, trials: [TrialRecord], direction: SearchDirection)
        -> [String: ParameterValue]?
    {
        var generator = trialGenerator(seed: seed, trial: trialNumber, salt: 0x545045)
        let complete = trials.filter { $0.state == .complete && $0.value.map { !$0.isNaN } == true }
            .compactMap { t in space.normalized(t.params).map { (params: $0, value: t.value!) } }
        guard complete.count >= startupTrials else {
            var params: [String: ParameterValue] = [:]
            for (path, distribution) in space.dimensions { params[path] = distribution.sample(using: &generator) }
            return params
        }
        let sorted = direction.sortedBestFirst(complete) { $0.value }
        let goodCount = Swift.max(1, Swift.min(Int((gamma * Double(sorted.count)).rounded(.up)), 25))
        let good = sorted.prefix(goodCount).map(\.params)
        let pruned = trials.filter { $0.state == .pruned }.compactMap { space.normalized($0.params) }
        let bad = sorted.dropFirst(goodCount).map(\.params) + pruned

        var params: [String: ParameterValue] = [:]
        for (path, distribution) in space.dimensions {
            params[path] = suggest(
                distribution, good: good.compactMap { $0[path] }, bad: bad.compactMap { $0[path] },
                using: &generator)
        }
        return params
    }

    /// The candidate from `l` with the largest `log l(x) − log g(x)`.
    private func suggest<G: RandomNumberGenerator>(
        _ distribution: Distribution, good: [ParameterValue],
        bad: [ParameterValue], using generator: inout G
    ) -> ParameterValue {
        if case .choice(let values) = distribution {
            func index(_ v: ParameterValue) -> Int { values.firstIndex { $0.matches(v) } ?? -1 }
            let l = CategoricalEstimator(observations: good.map(index), choices: values.count, priorWeight: priorWeight)
            let g = CategoricalEstimator(observations: bad.map(index), choices: values.count, priorWeight: priorWeight)
            var best = 0
            var bestScore = -Double.infinity
            for _ in 0..<candidates {
                let k = l.sample(using: &generator)
                let score = l.logProbability(k) - g.logProbability(k)
                if score > bestScore { (best, bestScore) = (k, score) }
            }
            return values[best]
        }
        let (low, high) = distribution.internalRange
        let l = ParzenEstimator(
            observations: good.map(distribution.toInternal), low: low, high: high, priorWeight: priorWeight)
        let g = ParzenEstimator(
            observations: bad.map(distribution.toInternal), low: low, high: high, priorWeight: priorWeight)
        var best = l.sample(using: &generator)
        var bestScore = -Double.infinity
        for _ in 0..<candidates {
            let x = l.sample(using: &generator)
            let score = l.logDensity(x) - g.logDensity(x)
            if score > bestScore { (best, bestScore) = (x, score) }
        }
        return distribution.fromInternal(best)
    }
}
