/// How a `VectorEnvironment` restarts an environment whose episode ended (Gymnasium 1.x's `AutoresetMode`).
///
/// - `nextStep` (Gymnasium's default): the step that ends an episode returns its last observation; the next call
///   to `step` ignores that environment's action, resets it and returns the reset observation with reward 0 and
///   `terminated = truncated = false`.
/// - `sameStep`: the ending step resets at once and returns the reset observation; the episode's last observation
///   goes to `VectorStep.finalObservations`.
/// - `disabled`: nothing restarts by itself; call `reset(seed:mask:)` for the ended environments before stepping
///   them again (stepping an ended one throws `EnvironmentError.stepAfterEnd`).
public enum AutoresetMode: Sendable, Equatable {
    case nextStep, sameStep, disabled
}

/// One step of every environment in a `VectorEnvironment`. Shapes: `observations` `[count × obsDim]` row-major;
/// `rewards`, `terminated`, `truncated` `[count]`.
public struct VectorStep: Sendable {
    public var observations: [Float]
    public var rewards: [Double]
    public var terminated: [Bool]
    public var truncated: [Bool]
    /// `sameStep` mode: environment index → the last observation of the episode that ended this step.
    public var finalObservations: [Int: [Double]]
    /// Environment index → the undiscounted return and length of the episode that ended this step (Gymnasium's
    /// `RecordEpisodeStatistics`; the `nextStep` reset step counts in neither).
    public var episodes: [Int: (return: Double, length: Int)]

    public init(observations: [Float], rewards: [Double], terminated: [Bool], truncated: [Bool],
                finalObservations: [Int: [Double]] = [:], episodes: [Int: (return: Double, length: Int)] = [:]) {
        self.observations = observations
        self.rewards = rewards
        self.terminated = terminated
        self.truncated = truncated
        self.finalObservations = finalObservations
        self.episodes = episodes
    }
}
