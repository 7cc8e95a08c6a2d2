/// Ends an episode with `truncated = true` once it has run `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`,
/// which `Environments.make` applies with the registered limit). A step after the truncation throws
/// `EnvironmentError.stepAfterEnd`.
public struct TimeLimit<Base: Environment>: Environment {
    public var base: Base
    public let maxEpisodeSteps: Int
    /// Steps taken in the current episode.
    public private(set) var elapsedSteps = 0
    var truncatedEpisode = false

    /// - Parameters:
    ///   - base: the environment to limit.
    ///   - maxEpisodeSteps: the episode length after which `truncated` is set (at least 1).
    public init(_ base: Base, maxEpisodeSteps: Int) throws {
        guard maxEpisodeSteps >= 1 else {
            throw EnvironmentError.invalidArgument(name: "maxEpisodeSteps", value: "\(maxEpisodeSteps)",
                                                   expected: "at least 1")
        }
        self.base = base
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    public var id: String { base.id }
    public var observationSpace: Space { base.observationSpace }
    public var actionSpace: Space { base.actionSpace }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        elapsedSteps = 0
        truncatedEpisode = false
        return base.reset(seed: seed)
    }

    public mutating func step(_ action: Action) throws -> Step {
        guard !truncatedEpisode else { throw EnvironmentError.stepAfterEnd(environment: id, step: elapsedSteps) }
        var result = try base.step(action)
        elapsedSteps += 1
        if elapsedSteps >= maxEpisodeSteps {
            result.truncated = true
            truncatedEpisode = true
        }
        return result
    }
}

extension TimeLimit: StatefulEnvironment where Base: StatefulEnvironment {
    public var state: [Double] { base.state }

    public mutating func reset(state: [Double]) throws -> [Double] {
        elapsedSteps = 0
        truncatedEpisode = false
        return try base.reset(state: state)
    }
}
