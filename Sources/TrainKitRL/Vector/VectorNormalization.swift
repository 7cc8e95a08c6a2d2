/// The state and arithmetic of Stable-Baselines3's `VecNormalize`, as a value: running observation and return
/// statistics, each environment's discounted return, and the settings. ``VectorNormalize`` wraps a vector
/// environment with one; `VectorEnvironment.normalization` applies one inside the environment itself, so an
/// agent (and the action replay of a resumed run) sees normalized observations and rewards without a wrapper.
///
/// Observations: `clip((o − μ_o) / sqrt(σ²_o + ε), ±clipObservation)`, with `μ_o, σ²_o` updated from every batch
/// (the reset batch included) while `training`. Rewards: each environment keeps a discounted return
/// `R ← γ·R + r` (zeroed when its episode ends); the returns update a running variance `σ²_R`, and the reward
/// becomes `clip(r / sqrt(σ²_R + ε), ±clipReward)` (not centred). Defaults as SB3's: `clipObservation` 10,
/// `clipReward` 10, `γ` 0.99, `ε` 1e-8. `VectorStep.finalObservations` are normalized too; `episodes` keep the
/// raw returns.
public struct VectorNormalization: Sendable, Equatable {
    /// Whether `reset` and `step` update the statistics (false for evaluation).
    public var training = true
    public let normalizeObservations: Bool
    public let normalizeRewards: Bool
    public let clipObservation: Double
    public let clipReward: Double
    public let gamma: Double
    public let epsilon: Double
    public var observationStatistics: RunningMeanStd
    public var returnStatistics: RunningMeanStd
    /// The discounted return of each environment's current episode.
    public var returns: [Double]

    /// Throws `EnvironmentError.invalidArgument` for a clip or ε that is not > 0, or γ outside [0, 1].
    public init(observationDimension: Int, count: Int, normalizeObservations: Bool = true,
                normalizeRewards: Bool = true, clipObservation: Double = 10, clipReward: Double = 10,
                gamma: Double = 0.99, epsilon: Double = 1e-8) throws {
        for (name, value) in [("clipObservation", clipObservation), ("clipReward", clipReward), ("epsilon", epsilon)]
        where !(value > 0) {
            throw EnvironmentError.invalidArgument(name: name, value: "\(value)", expected: "> 0")
        }
        guard gamma >= 0 && gamma <= 1 else {
            throw EnvironmentError.invalidArgument(name: "gamma", value: "\(gamma)", expected: "in [0, 1]")
        }
        self.normalizeObservations = normalizeObservations
        self.normalizeRewards = normalizeRewards
        self.clipObservation = clipObservation
        self.clipReward = clipReward
        self.gamma = gamma
        self.epsilon = epsilon
        observationStatistics = RunningMeanStd(dimension: observationDimension)
        returnStatistics = RunningMeanStd(dimension: 1)
        returns = Array(repeating: 0, count: count)
    }

    /// The observations of a full reset (`[count × dimension]`), normalized; zeroes the returns and, while
    /// `training`, updates the observation statistics first.
    public mutating func reset(_ observations: [Float]) -> [Float] {
        returns = Array(repeating: 0, count: returns.count)
        if training && normalizeObservations { observationStatistics.update(observations, rows: returns.count) }
        return normalize(observations: observations)
    }

    /// A vector step with normalized observations (final ones too) and rewards; while `training`, updates the
    /// statistics first.
    public mutating func step(_ step: VectorStep) -> VectorStep {
        var out = step
        let count = returns.count
        if training && normalizeObservations { observationStatistics.update(out.observations, rows: count) }
        out.observations = normalize(observations: out.observations)
        if training {
            for i in 0..<count { returns[i] = returns[i] * gamma + out.rewards[i] }
            returnStatistics.update(returns, rows: count)
        }
        out.rewards = normalize(rewards: out.rewards)
        for (i, final) in out.finalObservations {
            out.finalObservations[i] = normalize(observations: final.map(Float.init)).map(Double.init)
        }
        for i in 0..<count where out.terminated[i] || out.truncated[i] { returns[i] = 0 }
        return out
    }

    /// `clip((o − μ) / sqrt(σ² + ε), ±clipObservation)` per column, rounded to float32; the statistics stay as
    /// they are.
    public func normalize(observations: [Float]) -> [Float] {
        guard normalizeObservations else { return observations }
        let d = observationStatistics.mean.count
        var out = observations
        for k in 0..<observations.count {
            let j = k % d
            let z = (Double(observations[k]) - observationStatistics.mean[j])
                / (observationStatistics.variance[j] + epsilon).squareRoot()
            out[k] = Float(min(max(z, -clipObservation), clipObservation))
        }
        return out
    }

    /// `clip(r / sqrt(σ²_R + ε), ±clipReward)`; the statistics stay as they are.
    public func normalize(rewards: [Double]) -> [Double] {
        guard normalizeRewards else { return rewards }
        let scale = (returnStatistics.variance[0] + epsilon).squareRoot()
        return rewards.map { min(max($0 / scale, -clipReward), clipReward) }
    }
}
