/// The result of ``evaluatePolicy(_:make:episodes:deterministic:seed:using:)``: per-episode returns and lengths.
public struct EvaluationResult: Sendable, Equatable {
    public var returns: [Double]
    public var lengths: [Int]
    /// Mean undiscounted return.
    public var mean: Double { returns.isEmpty ? 0 : returns.reduce(0, +) / Double(returns.count) }
    /// Population standard deviation of the returns (NumPy's `np.std`, as SB3's `evaluate_policy`).
    public var std: Double {
        guard !returns.isEmpty else { return 0 }
        let m = mean
        return (returns.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(returns.count)).squareRoot()
    }
}

/// Runs `episodes` full episodes of the agent on one fresh environment (SB3's `evaluate_policy` on a single
/// environment): the first reset is seeded with `seed`, later ones continue the environment's stream.
/// Returns are undiscounted sums of the environment's rewards; an episode ends when terminated or truncated.
/// `normalization` (the training environments' `VecNormalize` statistics, frozen) normalizes each observation
/// before the agent sees it, as SB3's evaluation on a `VecNormalize` environment with `training = False`.
public func evaluatePolicy(_ agent: any Agent, make: () throws -> any Environment, episodes: Int,
                           deterministic: Bool = true, seed: UInt64? = nil,
                           normalization: VectorNormalization? = nil,
                           using rng: inout AgentRandom) throws -> EvaluationResult {
    var env = try make()
    var result = EvaluationResult(returns: [], lengths: [])
    for episode in 0..<episodes {
        var observation = env.reset(seed: episode == 0 ? seed : nil).observation
        var total = 0.0, length = 0
        while true {
            var seen = observation.map(Float.init)
            if let normalization { seen = normalization.normalize(observations: seen) }
            let action = agent.predict(seen, count: 1, deterministic: deterministic, using: &rng)[0]
            let step = try env.step(action)
            total += step.reward; length += 1
            if step.terminated || step.truncated { break }
            observation = step.observation
        }
        result.returns.append(total); result.lengths.append(length)
    }
    return result
}
