import TrainKitCore

extension ReplayBuffer {
    /// The stored rows as tensors under `prefix` (`observations`, `next_observations`, `actions` `[rows, act]`,
    /// `rewards`, `dones`); empty when nothing is stored.
    func stateTensors(prefix: String) -> [String: Tensor] {
        let rows = count, od = observationDimension, ad = actionDimension
        guard rows > 0 else { return [:] }
        return [
            prefix + "observations": Tensor(Array(observations[0..<(rows * od)]), shape: [rows, od]),
            prefix + "next_observations": Tensor(Array(nextObservations[0..<(rows * od)]), shape: [rows, od]),
            prefix + "actions": Tensor(Array(actions[0..<(rows * ad)]), shape: [rows, ad]),
            prefix + "rewards": Tensor(Array(rewards[0..<rows]), shape: [rows]),
            prefix + "dones": Tensor(Array(dones[0..<rows]), shape: [rows]),
        ]
    }

    /// Refills an empty buffer from ``stateTensors(prefix:)`` and the saved write position; a tensor of the wrong
    /// size is ``AgentError/badState(_:)``.
    mutating func restore(from tensors: [String: Tensor], prefix: String, position: Int, isFull: Bool) throws {
        let od = observationDimension, ad = actionDimension
        guard let obs = tensors[prefix + "observations"] else {
            guard position == 0 && !isFull else { throw AgentError.badState("the replay buffer's rows are missing") }
            return
        }
        let rows = obs.shape[0]
        guard rows <= capacity, obs.shape == [rows, od], rows == (isFull ? capacity : position) else {
            throw AgentError.badState("replay buffer shape \(obs.shape) at position \(position)")
        }
        func floats(_ key: String, _ count: Int) throws -> [Float] {
            guard let t = tensors[prefix + key], t.count == count else {
                throw AgentError.badState("\(prefix)\(key) is missing or has the wrong size")
            }
            return t.toArray()
        }
        observations.replaceSubrange(0..<(rows * od), with: try floats("observations", rows * od))
        nextObservations.replaceSubrange(0..<(rows * od), with: try floats("next_observations", rows * od))
        actions.replaceSubrange(0..<(rows * ad), with: try floats("actions", rows * ad))
        rewards.replaceSubrange(0..<rows, with: try floats("rewards", rows))
        dones.replaceSubrange(0..<rows, with: try floats("dones", rows))
        self.position = position
        self.isFull = isFull
    }
}
