import TrainKitCore
import TrainKitNN
import TrainKitOptim

extension DQN {
    /// The agent's full training state (see ``AgentState``): both networks, Adam's state, the stored part of the
    /// replay buffer (`replay.*`), counters, ε and the random stream.
    public func state() -> AgentState {
        var tensors: [String: Tensor] = [:]
        for (k, v) in qNet.stateDict() { tensors["policy.\(k)"] = v }
        for (k, v) in qNetTarget.stateDict() { tensors["target.\(k)"] = v }
        let optimizerState = optimizer.stateDict()
        for (k, v) in optimizerState.tensors { tensors["optimizer.\(k)"] = v }
        let n = environment.count, rows = replay.count, od = observationDimension
        tensors["action_log"] = Tensor(actionLog, shape: [actionLog.count / n, n])
        if rows > 0 {
            tensors["replay.observations"] = Tensor(Array(replay.observations[0..<(rows * od)]), shape: [rows, od])
            tensors["replay.next_observations"] = Tensor(Array(replay.nextObservations[0..<(rows * od)]), shape: [rows, od])
            tensors["replay.actions"] = Tensor(Array(replay.actions[0..<rows]), shape: [rows])
            tensors["replay.rewards"] = Tensor(Array(replay.rewards[0..<rows]), shape: [rows])
            tensors["replay.dones"] = Tensor(Array(replay.dones[0..<rows]), shape: [rows])
        }
        var metadata = AgentStateMetadata(
            agent: Self.name, seed: seed, envCount: n, numTimesteps: numTimesteps, updates: updates, iterations: calls,
            rng: rng.state, lastEpisodeStarts: Array(repeating: false, count: n),
            episodes: episodes.map { [$0.reward, Double($0.length), Double($0.envSteps)] }, optimizer: optimizerState.metadata)
        metadata.counters = ["replay_position": replay.position, "replay_full": replay.isFull ? 1 : 0]
        metadata.scalars = ["exploration_rate": explorationRate]
        return AgentState(tensors: tensors, metadata: metadata)
    }

    /// Restores a state from ``state()`` of a DQN with the same configuration, seed and environments.
    public func load(_ state: AgentState) throws {
        let m = state.metadata
        try state.checkOrigin(agent: Self.name, seed: seed, envCount: environment.count)
        do {
            try qNet.load(stateDict: state.part("policy."))
            try qNetTarget.load(stateDict: state.part("target."))
            try optimizer.load(stateDict: OptimizerStateDict(tensors: state.part("optimizer."), metadata: m.optimizer))
        } catch {
            throw AgentError.badState("\(error)")
        }
        let log = state.tensors["action_log"].map { $0.to(.float64).toArray(as: Double.self) } ?? []
        guard log.count == m.numTimesteps else {
            throw AgentError.badState("the action log holds \(log.count) actions for \(m.numTimesteps) steps")
        }
        var restored = ReplayBuffer(capacity: configuration.bufferSize, observationDimension: observationDimension, actionDimension: 1)
        if let obs = state.tensors["replay.observations"] {
            let rows = obs.shape[0], od = observationDimension
            guard rows <= restored.capacity, obs.shape == [rows, od] else { throw AgentError.badState("replay buffer shape \(obs.shape)") }
            func floats(_ key: String, _ count: Int) throws -> [Float] {
                guard let t = state.tensors[key], t.count == count else { throw AgentError.badState("\(key) is missing or has the wrong size") }
                return t.toArray()
            }
            restored.observations.replaceSubrange(0..<(rows * od), with: try floats("replay.observations", rows * od))
            restored.nextObservations.replaceSubrange(0..<(rows * od), with: try floats("replay.next_observations", rows * od))
            restored.actions.replaceSubrange(0..<rows, with: try floats("replay.actions", rows))
            restored.rewards.replaceSubrange(0..<rows, with: try floats("replay.rewards", rows))
            restored.dones.replaceSubrange(0..<rows, with: try floats("replay.dones", rows))
        }
        restored.position = m.counters["replay_position"] ?? 0
        restored.isFull = m.counters["replay_full"] == 1
        replay = restored
        lastObservations = try replayActions(log, on: environment, seed: seed, actionWidth: 1)
        actionLog = log
        numTimesteps = m.numTimesteps; updates = m.updates; calls = m.iterations
        rng = AgentRandom(seed: 0); rng.state = m.rng
        explorationRate = m.scalars["exploration_rate"] ?? configuration.explorationInitialEps
        episodes = m.episodes.map { EpisodeRecord(reward: $0[0], length: Int($0[1]), envSteps: Int($0[2])) }
    }
}
