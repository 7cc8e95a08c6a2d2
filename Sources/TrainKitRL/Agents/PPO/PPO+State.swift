import TrainKitCore
import TrainKitNN
import TrainKitOptim

extension PPO {
    /// The agent's full training state (see ``AgentState``), taken between iterations.
    public func state() -> AgentState { actorCriticState() }

    /// Restores a state from ``state()`` of a PPO with the same configuration, seed and environments; the
    /// environments are brought to the saved point by replaying the action log.
    public func load(_ state: AgentState) throws { try loadActorCritic(state) }
}
