/// Checks every call into a (user) environment and turns misuse and bad output into `EnvironmentError`s naming the
/// environment and the step, as Gymnasium's `PassiveEnvChecker` and `OrderEnforcing` do: a step before the first
/// reset, an action the action space does not accept (`Space.accepts`: a continuous value beyond the bounds is
/// passed on for the environment to clip), a malformed action space, a step after the episode ended, a NaN or
/// infinite reward, and an observation whose length differs from `observationSpace.flatDimension` (checked at
/// reset too, reported by the next `step`, since `reset` cannot throw). `VectorEnvironment` runs the same checks.
public struct CheckedEnvironment<Base: Environment>: Environment {
    public var base: Base
    var steps = 0
    var hasReset = false
    var ended = false
    var resetError: EnvironmentError?

    public init(_ base: Base) { self.base = base }

    public var id: String { base.id }
    public var observationSpace: Space { base.observationSpace }
    public var actionSpace: Space { base.actionSpace }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        let result = base.reset(seed: seed)
        steps = 0
        hasReset = true
        ended = false
        let expected = observationSpace.flatDimension
        resetError = result.observation.count == expected ? nil
            : .observationShape(environment: id, index: nil, step: -1, expected: expected,
                                got: result.observation.count)
        return result
    }

    public mutating func step(_ action: Action) throws -> Step {
        if let resetError { throw resetError }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: id) }
        guard !ended else { throw EnvironmentError.stepAfterEnd(environment: id, step: steps) }
        if let problem = actionSpace.problem {
            throw EnvironmentError.invalidArgument(name: "\(id) action space", value: "\(actionSpace)",
                                                   expected: "a well-formed space (\(problem))")
        }
        guard actionSpace.accepts(action) else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: steps, action: action, space: actionSpace)
        }
        let result = try base.step(action)
        guard result.reward.isFinite else {
            throw EnvironmentError.nonFiniteReward(environment: id, step: steps, value: result.reward)
        }
        let expected = observationSpace.flatDimension
        guard result.observation.count == expected else {
            throw EnvironmentError.observationShape(environment: id, index: nil, step: steps, expected: expected,
                                                    got: result.observation.count)
        }
        if let j = result.observation.firstIndex(where: { !$0.isFinite }) {
            throw EnvironmentError.nonFiniteObservation(environment: id, step: steps, index: j,
                                                        value: result.observation[j])
        }
        steps += 1
        ended = result.isDone
        return result
    }
}
