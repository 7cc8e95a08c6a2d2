import TrainKitCore
import TrainKitNN
import TrainKitOptim

extension SAC {
    /// The agent's full training state (see ``AgentState``): actor, critics and targets (`policy.*`), log α,
    /// the three Adam states (`optimizer.*` the actor's, `critic_optimizer.*`, `ent_coef_optimizer.*`), the replay
    /// buffer (`replay.*`), counters and the random stream.
    public func state() -> AgentState {
        var tensors: [String: Tensor] = [:]
        for (k, v) in policy.stateDict() { tensors["policy.\(k)"] = v }
        if let logEntCoef { tensors["log_ent_coef"] = logEntCoef.detachedValue }
        let actorState = actorOptimizer.stateDict(), criticState = criticOptimizer.stateDict()
        for (k, v) in actorState.tensors { tensors["optimizer.\(k)"] = v }
        for (k, v) in criticState.tensors { tensors["critic_optimizer.\(k)"] = v }
        var optimizers = ["critic": criticState.metadata]
        if let entState = entCoefOptimizer?.stateDict() {
            for (k, v) in entState.tensors { tensors["ent_coef_optimizer.\(k)"] = v }
            optimizers["ent_coef"] = entState.metadata
        }
        let n = environment.count, width = n * actionDimension
        tensors["action_log"] = Tensor(actionLog, shape: [actionLog.count / width, width])
        tensors.merge(replay.stateTensors(prefix: "replay.")) { a, _ in a }
        var metadata = AgentStateMetadata(
            agent: Self.name, seed: seed, envCount: n, numTimesteps: numTimesteps, updates: updates, iterations: rounds,
            rng: rng.state, lastEpisodeStarts: Array(repeating: false, count: n),
            episodes: episodes.map { [$0.reward, Double($0.length), Double($0.envSteps)] }, optimizer: actorState.metadata)
        metadata.optimizers = optimizers
        metadata.counters = ["replay_position": replay.position, "replay_full": replay.isFull ? 1 : 0]
        return AgentState(tensors: tensors, metadata: metadata)
    }

    /// Restores a state from ``state()`` of a SAC with the same configuration, seed and environments.
    public func load(_ state: AgentState) throws {
        let m = state.metadata
        try state.checkOrigin(agent: Self.name, seed: seed, envCount: environment.count)
        do {
            try policy.load(stateDict: state.part("policy."))
            try actorOptimizer.load(stateDict: OptimizerStateDict(tensors: state.part("optimizer."), metadata: m.optimizer))
            guard let critic = m.optimizers?["critic"] else { throw AgentError.badState("the critic optimizer's state is missing") }
            try criticOptimizer.load(stateDict: OptimizerStateDict(tensors: state.part("critic_optimizer."), metadata: critic))
            if let logEntCoef, let entCoefOptimizer {
                guard let value = state.tensors["log_ent_coef"], value.shape == [1], let ent = m.optimizers?["ent_coef"] else {
                    throw AgentError.badState("log_ent_coef or its optimizer's state is missing (ent_coef auto)")
                }
                logEntCoef.value = value.to(.float32)
                try entCoefOptimizer.load(stateDict: OptimizerStateDict(tensors: state.part("ent_coef_optimizer."), metadata: ent))
            }
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError.badState("\(error)")
        }
        let log = state.tensors["action_log"].map { $0.to(.float64).toArray(as: Double.self) } ?? []
        guard log.count == m.numTimesteps * actionDimension else {
            throw AgentError.badState("the action log holds \(log.count) values for \(m.numTimesteps) steps")
        }
        var restored = ReplayBuffer(capacity: configuration.bufferSize, observationDimension: observationDimension,
                                    actionDimension: actionDimension)
        try restored.restore(from: state.tensors, prefix: "replay.", position: m.counters["replay_position"] ?? 0,
                             isFull: m.counters["replay_full"] == 1)
        replay = restored
        lastObservations = try replayActions(log, on: environment, seed: seed, actionWidth: actionDimension)
        actionLog = log
        numTimesteps = m.numTimesteps; updates = m.updates; rounds = m.iterations
        rng = AgentRandom(seed: 0); rng.state = m.rng
        episodes = m.episodes.map { EpisodeRecord(reward: $0[0], length: Int($0[1]), envSteps: Int($0[2])) }
    }
}
