/// Normalizes a vector environment's observations and rewards with running statistics, as Stable-Baselines3's
/// `VecNormalize`: a wrapper holding a ``VectorNormalization`` (the arithmetic and the statistics are there).
/// `originalObservations` and `originalRewards` hold the last unnormalized batch.
///
/// With `nextStep` autoreset the reset step (reward 0) also updates the statistics; Stable-Baselines3's vector
/// environments reset in the same step (`sameStep`), which reproduces its numbers exactly.
public final class VectorNormalize {
    public let environment: VectorEnvironment
    /// The settings, the statistics and the running returns.
    public var normalization: VectorNormalization
    public private(set) var originalObservations: [Float] = []
    public private(set) var originalRewards: [Double] = []

    public init(_ environment: VectorEnvironment, normalizeObservations: Bool = true, normalizeRewards: Bool = true,
                clipObservation: Double = 10, clipReward: Double = 10, gamma: Double = 0.99,
                epsilon: Double = 1e-8) throws {
        self.environment = environment
        normalization = try VectorNormalization(
            observationDimension: environment.observationDimension, count: environment.count,
            normalizeObservations: normalizeObservations, normalizeRewards: normalizeRewards,
            clipObservation: clipObservation, clipReward: clipReward, gamma: gamma, epsilon: epsilon)
    }

    /// Whether `step` and `reset` update the statistics (false for evaluation).
    public var training: Bool {
        get { normalization.training }
        set { normalization.training = newValue }
    }
    public var normalizeObservations: Bool { normalization.normalizeObservations }
    public var normalizeRewards: Bool { normalization.normalizeRewards }
    public var clipObservation: Double { normalization.clipObservation }
    public var clipReward: Double { normalization.clipReward }
    public var gamma: Double { normalization.gamma }
    public var epsilon: Double { normalization.epsilon }
    public var observationStatistics: RunningMeanStd {
        get { normalization.observationStatistics }
        set { normalization.observationStatistics = newValue }
    }
    public var returnStatistics: RunningMeanStd {
        get { normalization.returnStatistics }
        set { normalization.returnStatistics = newValue }
    }
    /// The discounted return of each environment's current episode.
    public var returns: [Double] { normalization.returns }

    public var count: Int { environment.count }
    public var observationSpace: Space { environment.observationSpace }
    public var actionSpace: Space { environment.actionSpace }

    /// Resets the environments (see `VectorEnvironment.reset(seed:)`) and returns normalized observations.
    @discardableResult
    public func reset(seed: UInt64?) -> [Float] {
        let observations = environment.reset(seed: seed)
        originalObservations = observations
        return normalization.reset(observations)
    }

    /// Steps the environments and returns the step with normalized observations and rewards.
    public func step(_ actions: [Action]) throws -> VectorStep {
        let out = try environment.step(actions)
        originalObservations = out.observations
        originalRewards = out.rewards
        return normalization.step(out)
    }

    /// `clip((o − μ) / sqrt(σ² + ε), ±clipObservation)` per column, rounded to float32; the statistics stay as
    /// they are.
    public func normalize(observations: [Float]) -> [Float] { normalization.normalize(observations: observations) }

    /// `clip(r / sqrt(σ²_R + ε), ±clipReward)`; the statistics stay as they are.
    public func normalize(rewards: [Double]) -> [Double] { normalization.normalize(rewards: rewards) }
}
