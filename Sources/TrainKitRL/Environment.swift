/// What one `Environment.step(_:)` returns (Gymnasium's `(obs, reward, terminated, truncated, info)`).
///
/// `terminated`: the episode reached a terminal state of the task (the pole fell, the goal was reached);
/// `truncated`: it was cut off from outside, usually by a time limit (`TimeLimit`). Either one ends the episode.
public struct Step: Sendable {
    /// The next observation, flat: `observationSpace.flatDimension` numbers.
    public var observation: [Double]
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public var info: [String: Double]

    public init(observation: [Double], reward: Double, terminated: Bool, truncated: Bool = false,
                info: [String: Double] = [:]) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
        self.info = info
    }

    /// `terminated || truncated`.
    public var isDone: Bool { terminated || truncated }
}

/// A registered environment's metadata (Gymnasium's `EnvSpec`): its id, the episode limit `make` applies and the
/// return at which the task counts as solved (mean undiscounted return over 100 consecutive episodes).
public struct EnvironmentSpec: Sendable, Equatable {
    public var id: String
    public var maxEpisodeSteps: Int?
    public var rewardThreshold: Double?

    public init(id: String, maxEpisodeSteps: Int? = nil, rewardThreshold: Double? = nil) {
        self.id = id
        self.maxEpisodeSteps = maxEpisodeSteps
        self.rewardThreshold = rewardThreshold
    }
}

/// A reinforcement-learning environment, as Gymnasium's `Env`: `reset` starts an episode, `step` advances it.
///
/// Observations are flat `[Double]` vectors of `observationSpace.flatDimension` numbers (a discrete observation is
/// its index). `reset(seed:)` with a seed re-seeds the environment's random stream; `nil` continues it.
/// `step(_:)` throws `EnvironmentError` for an action outside `actionSpace`, a step after the episode ended, or
/// (in the checks `VectorEnvironment` and `CheckedEnvironment` run) a non-finite reward or a wrong-sized observation.
///
/// A user environment is one conformance:
/// ```swift
/// struct Corridor: Environment {
///     var position = 0
///     var observationSpace: Space { .box(low: [0], high: [10]) }
///     var actionSpace: Space { .discrete(2) }
///     mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
///         position = 0
///         return ([0], [:])
///     }
///     mutating func step(_ action: Action) throws -> Step {
///         guard case .discrete(let a) = action, a == 0 || a == 1 else {
///             throw EnvironmentError.actionOutsideSpace(environment: id, step: position, action: action,
///                                                       space: actionSpace)
///         }
///         position = max(0, position + (a == 1 ? 1 : -1))
///         return Step(observation: [Double(position)], reward: a == 1 ? 1 : 0, terminated: position == 10)
///     }
/// }
/// ```
public protocol Environment {
    var observationSpace: Space { get }
    var actionSpace: Space { get }
    /// The name errors and logs use; defaults to the type's name.
    var id: String { get }
    mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double])
    mutating func step(_ action: Action) throws -> Step
}

extension Environment {
    public var id: String { String(describing: type(of: self)) }
}

/// An environment whose full state can be read and set, so a test can start it from a recorded state
/// (Gymnasium's `env.unwrapped.state = ...`).
public protocol StatefulEnvironment: Environment {
    /// The internal state (for the classic-control tasks, the float64 physical state; for FrozenLake, the cell).
    var state: [Double] { get }
    /// Starts an episode from `state` instead of a random start; returns the observation of that state.
    /// Throws `EnvironmentError.badState` when `state` has the wrong length or is not a valid state.
    mutating func reset(state: [Double]) throws -> [Double]
}
