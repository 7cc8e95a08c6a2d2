import Foundation

/// A Parzen-window density on `[low, high]` for the TPE sampler: a mixture of truncated Gaussians, one per
/// observation plus one wide prior component (Bergstra et al. 2011, as in hyperopt's `adaptive_parzen_normal`).
///
///     p(x) = Σᵢ wᵢ · φ((x − μᵢ)/σᵢ) / (σᵢ · Zᵢ)
///     Zᵢ = Φ((high − μᵢ)/σᵢ) − Φ((low − μᵢ)/σᵢ)     (the mass of component i inside [low, high])
///
/// - the prior has `μ = (low + high)/2`, `σ = high − low` and weight `priorWeight`; each observation weight 1,
///   then the weights are normalized;
/// - an observation's `σᵢ` is the larger gap to its neighbours among the sorted centres (the prior's centre
///   included), clipped to `[(high − low) / min(100, 1 + n), high − low]` for `n` components: dense regions
///   get narrow kernels, isolated points wide ones.
struct ParzenEstimator {
    let low: Double
    let high: Double
    private(set) var mus: [Double] = []
    private(set) var sigmas: [Double] = []
    private(set) var weights: [Double] = []

    init(observations: [Double], low: Double, high: Double, priorWeight: Double) {
        self.low = low
        self.high = high
        let range = high - low
        let priorMu = (low + high) / 2
        var centres = observations.map { (mu: Swift.min(Swift.max($0, low), high), prior: false) }
        centres.append((priorMu, true))
        centres.sort { $0.mu < $1.mu }
        let minSigma = range / Double(Swift.min(100, 1 + centres.count))
        for (i, c) in centres.enumerated() {
            var sigma = range
            if !c.prior {
                let left = i > 0 ? c.mu - centres[i - 1].mu : 0
                let right = i + 1 < centres.count ? centres[i + 1].mu - c.mu : 0
                sigma = Swift.min(Swift.max(Swift.max(left, right), minSigma), range)
            }
            mus.append(c.mu)
            sigmas.append(sigma)
            weights.append(c.prior ? priorWeight : 1)
        }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
    }

    /// A draw: pick a component by weight, then a Gaussian draw from it, redrawn until inside `[low, high]`.
    func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        var u = Double.random(in: 0..<1, using: &generator)
        var k = weights.count - 1
        for (i, w) in weights.enumerated() {
            if u < w {
                k = i
                break
            }
            u -= w
        }
        for _ in 0..<100 {
            let x = mus[k] + sigmas[k] * standardNormal(using: &generator)
            if x >= low && x <= high { return x }
        }
        return Double.random(in: low...high, using: &generator)
    }

    /// `log p(x)` (log-sum-exp over the components).
    func logDensity(_ x: Double) -> Double {
        var terms: [Double] = []
        terms.reserveCapacity(mus.count)
        for i in mus.indices {
            let z = (x - mus[i]) / sigmas[i]
            let mass = normalCDF((high - mus[i]) / sigmas[i]) - normalCDF((low - mus[i]) / sigmas[i])
            terms.append(
                Foundation.log(weights[i]) - 0.5 * z * z - Foundation.log(sigmas[i] * (2 * Double.pi).squareRoot())
                    - Foundation.log(Swift.max(mass, 1e-300)))
        }
        let m = terms.max() ?? -.infinity
        return m + Foundation.log(terms.reduce(0) { $0 + exp($1 - m) })
    }
}

/// The categorical counterpart: `p(k) = (count_k + priorWeight/K) / (n + priorWeight)` over `K` choices.
struct CategoricalEstimator {
    let probabilities: [Double]

    init(observations: [Int], choices: Int, priorWeight: Double) {
        var counts = [Double](repeating: priorWeight / Double(choices), count: choices)
        for k in observations where k >= 0 && k < choices { counts[k] += 1 }
        let total = counts.reduce(0, +)
        probabilities = counts.map { $0 / total }
    }

    func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        var u = Double.random(in: 0..<1, using: &generator)
        for (k, p) in probabilities.enumerated() {
            if u < p { return k }
            u -= p
        }
        return probabilities.count - 1
    }

    func logProbability(_ k: Int) -> Double { Foundation.log(probabilities[k]) }
}

/// `Φ(z)`, the standard normal CDF.
func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

/// A standard normal draw (Box–Muller).
func standardNormal<G: RandomNumberGenerator>(using generator: inout G) -> Double {
    let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
    let u2 = Double.random(in: 0..<1, using: &generator)
    return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}
