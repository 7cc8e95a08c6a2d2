/// A ring buffer of transitions `(s, a, r, s′, done)` for off-policy agents (SB3's `ReplayBuffer`).
///
/// Holds at most `capacity` transitions; the oldest is overwritten first. `done` is true only for a
/// *terminated* episode: a truncated one stores its final observation as `s′` with `done = false`, so the
/// target bootstraps from it (SB3's `handle_timeout_termination`).
public struct ReplayBuffer: Sendable {
    public let capacity: Int, observationDimension: Int, actionDimension: Int
    public internal(set) var observations: [Float]       // [capacity, obs]
    public internal(set) var nextObservations: [Float]   // [capacity, obs]
    public internal(set) var actions: [Float]            // [capacity, act]
    public internal(set) var rewards: [Float]            // [capacity]
    public internal(set) var dones: [Float]              // [capacity], 1 = terminated
    /// Where the next transition goes.
    public internal(set) var position = 0
    /// Whether the buffer has wrapped around (then every slot holds a transition).
    public internal(set) var isFull = false

    public init(capacity: Int, observationDimension: Int, actionDimension: Int) {
        precondition(capacity > 0, "ReplayBuffer: capacity must be > 0")
        self.capacity = capacity; self.observationDimension = observationDimension; self.actionDimension = actionDimension
        observations = Array(repeating: 0, count: capacity * observationDimension)
        nextObservations = observations
        actions = Array(repeating: 0, count: capacity * actionDimension)
        rewards = Array(repeating: 0, count: capacity); dones = rewards
    }

    /// How many transitions are stored.
    public var count: Int { isFull ? capacity : position }

    public mutating func add(observation: ArraySlice<Float>, nextObservation: [Float], action: [Float], reward: Double,
                             terminated: Bool) {
        precondition(observation.count == observationDimension && nextObservation.count == observationDimension
                     && action.count == actionDimension, "ReplayBuffer.add: wrong row sizes")
        let o = position * observationDimension, a = position * actionDimension
        observations.replaceSubrange(o..<(o + observationDimension), with: observation)
        nextObservations.replaceSubrange(o..<(o + observationDimension), with: nextObservation)
        actions.replaceSubrange(a..<(a + actionDimension), with: action)
        rewards[position] = Float(reward); dones[position] = terminated ? 1 : 0
        position += 1
        if position == capacity { position = 0; isFull = true }
    }

    /// A minibatch of `batchSize` transitions drawn uniformly with replacement (as SB3's `sample`), as flat
    /// row-major arrays.
    public func sample(_ batchSize: Int, using rng: inout AgentRandom) -> ReplayBatch {
        precondition(count > 0, "ReplayBuffer.sample: the buffer is empty")
        var batch = ReplayBatch(size: batchSize, observationDimension: observationDimension, actionDimension: actionDimension)
        for _ in 0..<batchSize {
            let i = rng.int(below: count)
            batch.observations += observations[(i * observationDimension)..<((i + 1) * observationDimension)]
            batch.nextObservations += nextObservations[(i * observationDimension)..<((i + 1) * observationDimension)]
            batch.actions += actions[(i * actionDimension)..<((i + 1) * actionDimension)]
            batch.rewards.append(rewards[i]); batch.dones.append(dones[i])
        }
        return batch
    }
}

/// A sampled minibatch: observations `[B, obs]`, next observations `[B, obs]`, actions `[B, act]`, rewards and
/// dones `[B]`, flat row-major.
public struct ReplayBatch: Sendable {
    public let size: Int, observationDimension: Int, actionDimension: Int
    public var observations: [Float] = [], nextObservations: [Float] = [], actions: [Float] = []
    public var rewards: [Float] = [], dones: [Float] = []

    init(size: Int, observationDimension: Int, actionDimension: Int) {
        self.size = size; self.observationDimension = observationDimension; self.actionDimension = actionDimension
        observations.reserveCapacity(size * observationDimension); nextObservations.reserveCapacity(size * observationDimension)
        actions.reserveCapacity(size * actionDimension); rewards.reserveCapacity(size); dones.reserveCapacity(size)
    }
}
