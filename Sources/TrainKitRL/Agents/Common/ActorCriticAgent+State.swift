import TrainKitCore
import TrainKitNN
import TrainKitOptim

extension ActorCriticAgent {
    /// The agent's full training state (see ``AgentState``), taken between iterations (PPO, A2C).
    func actorCriticState() -> AgentState {
        var tensors: [String: Tensor] = [:]
        for (k, v) in policy.stateDict() { tensors["policy.\(k)"] = v }
        let optimizerState = trainingOptimizer.stateDict()
        for (k, v) in optimizerState.tensors { tensors["optimizer.\(k)"] = v }
        let width = environment.count * actionDimension
        tensors["action_log"] = Tensor(actionLog, shape: [actionLog.count / Swift.max(width, 1), width])
        if let lastObservations {
            tensors["last_observations"] = Tensor(lastObservations, shape: [environment.count, observationDimension])
        }
        let metadata = AgentStateMetadata(
            agent: Self.name, seed: seed, envCount: environment.count, numTimesteps: numTimesteps, updates: updates,
            iterations: iterations, rng: rng.state, lastEpisodeStarts: lastEpisodeStarts,
            episodes: episodes.map { [$0.reward, Double($0.length), Double($0.envSteps)] },
            optimizer: optimizerState.metadata)
        return AgentState(tensors: tensors, metadata: metadata)
    }

    /// Restores a state from ``actorCriticState()`` of an agent of the same kind, configuration, seed and
    /// environments; the environments are brought to the saved point by replaying the action log.
    func loadActorCritic(_ state: AgentState) throws {
        let m = state.metadata
        try state.checkOrigin(agent: Self.name, seed: seed, envCount: environment.count)
        do {
            try policy.load(stateDict: state.part("policy."))
            try trainingOptimizer.load(stateDict: OptimizerStateDict(tensors: state.part("optimizer."), metadata: m.optimizer))
        } catch {
            throw AgentError.badState("\(error)")
        }
        let log = state.tensors["action_log"].map { $0.to(.float64).toArray(as: Double.self) } ?? []
        guard log.count == m.numTimesteps * actionDimension else {
            throw AgentError.badState("the action log holds \(log.count) values for \(m.numTimesteps) steps")
        }
        lastObservations = m.numTimesteps == 0 && state.tensors["last_observations"] == nil
            ? nil : try replayActions(log, on: environment, seed: seed, actionWidth: actionDimension)
        actionLog = log
        numTimesteps = m.numTimesteps; updates = m.updates; iterations = m.iterations
        rng = AgentRandom(seed: 0); rng.state = m.rng
        guard m.lastEpisodeStarts.count == environment.count else { throw AgentError.badState("episode flags") }
        lastEpisodeStarts = m.lastEpisodeStarts
        episodes = m.episodes.map { EpisodeRecord(reward: $0[0], length: Int($0[1]), envSteps: Int($0[2])) }
    }
}
