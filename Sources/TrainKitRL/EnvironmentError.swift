/// Why an environment refused a call, naming the environment (its id), the step and the offending value.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    /// `Environments.make` or `spec` got an id it does not know; `known` lists the registered ids.
    case unknownEnvironment(id: String, known: [String])
    /// `step` got an action outside the action space. `step` counts the steps of the current episode from 0.
    case actionOutsideSpace(environment: String, step: Int, action: Action, space: Space)
    /// `step` was called after the episode ended (terminated or truncated) without a `reset`.
    case stepAfterEnd(environment: String, step: Int)
    /// `step` was called before the first `reset`.
    case stepBeforeReset(environment: String)
    /// The environment returned a NaN or infinite reward.
    case nonFiniteReward(environment: String, step: Int, value: Double)
    /// The environment returned a NaN or infinite observation entry.
    case nonFiniteObservation(environment: String, step: Int, index: Int, value: Double)
    /// An observation's length differs from the observation space's `flatDimension` (`index`: the environment's
    /// place in a `VectorEnvironment`, nil for a single environment; `step` -1 means the reset).
    case observationShape(environment: String, index: Int?, step: Int, expected: Int, got: Int)
    /// The environments of a `VectorEnvironment` disagree on a space.
    case spaceMismatch(environment: String, index: Int, expected: Space, got: Space)
    /// `reset(state:)` got a state of the wrong length or outside the valid states.
    case badState(environment: String, expected: String, got: [Double])
    /// A vector step got the wrong number of actions.
    case actionCount(expected: Int, got: Int)
    /// An argument outside its range (a count, a limit, a wrapper setting).
    case invalidArgument(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unknownEnvironment(let id, let known):
            "unknown environment id '\(id)'; known ids: \(known.joined(separator: ", "))"
        case .actionOutsideSpace(let env, let step, let action, let space):
            "\(env): step \(step): action \(action) is outside the action space \(space)"
        case .stepAfterEnd(let env, let step):
            "\(env): step \(step) after the episode ended; call reset first"
        case .stepBeforeReset(let env): "\(env): step before the first reset"
        case .nonFiniteReward(let env, let step, let value): "\(env): step \(step): the reward is \(value)"
        case .nonFiniteObservation(let env, let step, let index, let value):
            "\(env): step \(step): observation entry \(index) is \(value)"
        case .observationShape(let env, let index, let step, let expected, let got):
            "\(env)\(index.map { " (environment \($0))" } ?? ""): \(step < 0 ? "reset" : "step \(step)"): "
                + "the observation has \(got) numbers, the observation space \(expected)"
        case .spaceMismatch(let env, let index, let expected, let got):
            "\(env) (environment \(index)): space \(got) differs from environment 0's \(expected)"
        case .badState(let env, let expected, let got): "\(env): state \(got) is not \(expected)"
        case .actionCount(let expected, let got): "vector step: \(got) actions for \(expected) environments"
        case .invalidArgument(let name, let value, let expected): "\(name) = \(value), expected \(expected)"
        }
    }
}
