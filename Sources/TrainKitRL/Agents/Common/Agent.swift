/// What every agent offers once built: acting from observations, and its progress counters.
public protocol Agent: AnyObject {
    /// The algorithm's name as users write it (`ppo`, `a2c`, `dqn`, `sac`).
    static var name: String { get }
    /// Environment steps taken so far (all environments together; SB3's `num_timesteps`).
    var numTimesteps: Int { get }
    /// Actions for `count` observations laid out row-major `[count, obs]`: the distribution's mode when
    /// `deterministic`, else a sample (drawn from `rng`, so evaluation does not disturb training's stream).
    func predict(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action]
}

/// One finished training episode, as SB3's `Monitor` reports it.
public struct EpisodeRecord: Sendable, Equatable {
    public var reward: Double
    public var length: Int
    /// Environment steps (all environments together) when it ended.
    public var envSteps: Int
}
