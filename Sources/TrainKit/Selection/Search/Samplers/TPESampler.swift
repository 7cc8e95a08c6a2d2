import Foundation

/// The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kégl, "Algorithms for Hyper-Parameter
/// Optimization", NeurIPS 2011), per dimension as in the paper and hyperopt.
///
/// After `startupTrials` finished trials (complete or pruned) drawn at random, each new trial:
/// 1. ranks the `n` finished trials best first and splits them at the quantile `γ`: the best
///    `n_good = min(⌈γ·n⌉, 25)` (at least 1) form the good set, the rest the bad set. Complete trials come
///    first, by value; then pruned trials, as Optuna's TPE ranks them: a trial stopped at a later epoch before
///    one stopped earlier, and among trials stopped at the same epoch the better value reported there first
///    (``rankedBestFirst(_:direction:)``). A pruned trial thus counts: near the promotion line it can fill the
///    good set while few trials are complete, and every pruned trial weighs in `g(x)` where it is not good;
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
    /// Random trials before the model is used (finished trials needed: complete or pruned).
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
        let ranked = Self.rankedBestFirst(trials, direction: direction).compactMap { space.normalized($0.params) }
        guard ranked.count >= startupTrials else {
            var params: [String: ParameterValue] = [:]
            for (path, distribution) in space.dimensions { params[path] = distribution.sample(using: &generator) }
            return params
        }
        let goodCount = Swift.max(1, Swift.min(Int((gamma * Double(ranked.count)).rounded(.up)), 25))
        let good = Array(ranked.prefix(goodCount))
        let bad = Array(ranked.dropFirst(goodCount))

        var params: [String: ParameterValue] = [:]
        for (path, distribution) in space.dimensions {
            params[path] = suggest(
                distribution, good: good.compactMap { $0[path] }, bad: bad.compactMap { $0[path] },
                using: &generator)
        }
        return params
    }

    /// The finished trials TPE learns from, best first (Optuna's `_split_complete_trials` and
    /// `_split_pruned_trials` order): complete trials with a value, by value; then pruned trials, the one that
    /// reported a later epoch first, and among those stopped at the same epoch the better value reported there
    /// first (a pruned trial that reported nothing comes last). Running and failed trials are left out; ties keep
    /// trial order.
    public static func rankedBestFirst(_ trials: [TrialRecord], direction: SearchDirection) -> [TrialRecord] {
        let complete = trials.filter { $0.state == .complete && $0.value.map { !$0.isNaN } == true }
        let pruned = trials.filter { $0.state == .pruned }
        func last(_ t: TrialRecord) -> (epoch: Int, value: Double) {
            guard let epoch = t.intermediate.keys.max() else { return (-1, .nan) }
            return (epoch, t.intermediate[epoch]!)
        }
        let prunedRanked = pruned.enumerated().sorted { x, y in
            let (a, b) = (last(x.element), last(y.element))
            if a.epoch != b.epoch { return a.epoch > b.epoch }
            if direction.isBetter(a.value, than: b.value) { return true }
            if direction.isBetter(b.value, than: a.value) { return false }
            return x.offset < y.offset
        }.map(\.element)
        return direction.sortedBestFirst(complete) { $0.value! } + prunedRanked
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
