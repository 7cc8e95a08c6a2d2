/// Why an agent refused a setting or stopped training; each case names what and where.
public enum AgentError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its range (`name`: SB3's name, e.g. `batch_size`).
    case invalidHyperparameter(name: String, value: String, expected: String)
    /// The environment's spaces do not fit the agent (every agent needs a box observation; DQN a discrete action, SAC a
    /// bounded box).
    case unsupportedSpace(agent: String, space: String, reason: String)
    /// A loss or network output became NaN or ±∞ at `update` (counted from 1) after `envSteps` steps.
    case nonfiniteLoss(agent: String, loss: String, update: Int, envSteps: Int)
    /// A saved agent state that does not fit this agent.
    case badState(String)

    public var description: String {
        switch self {
        case let .invalidHyperparameter(name, value, expected):
            return "agent hyperparameter \(name) = \(value): expected \(expected)"
        case let .unsupportedSpace(agent, space, reason):
            return "\(agent) cannot use the space \(space): \(reason)"
        case let .nonfiniteLoss(agent, loss, update, envSteps):
            return "\(agent): non-finite \(loss) at update \(update) (\(envSteps) environment steps); "
                + "lower the learning rate or set max_grad_norm"
        case let .badState(reason):
            return "agent state: \(reason)"
        }
    }
}
