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
    /// row-major arrays: `batch(at: sampleIndices(batchSize, using: &rng))`.
    public func sample(_ batchSize: Int, using rng: inout AgentRandom) -> ReplayBatch {
        batch(at: sampleIndices(batchSize, using: &rng))
    }

    /// The slots of a minibatch: `batchSize` uniform draws from `0..<count`, one `rng.int(below:)` each, so
    /// drawing several minibatches' indices ahead takes the same numbers as sampling them one by one.
    public func sampleIndices(_ batchSize: Int, using rng: inout AgentRandom) -> [Int] {
        precondition(count > 0, "ReplayBuffer.sample: the buffer is empty")
        let n = count
        return (0..<batchSize).map { _ in rng.int(below: n) }
    }

    /// The transitions in `indices` (slots below `count`), in that order.
    public func batch(at indices: [Int]) -> ReplayBatch {
        var batch = ReplayBatch(size: indices.count, observationDimension: observationDimension,
                                actionDimension: actionDimension)
        batch.observations = Self.gather(observations, rows: indices, width: observationDimension)
        batch.nextObservations = Self.gather(nextObservations, rows: indices, width: observationDimension)
        batch.actions = Self.gather(actions, rows: indices, width: actionDimension)
        batch.rewards = indices.map { rewards[$0] }
        batch.dones = indices.map { dones[$0] }
        return batch
    }

    /// Rows `rows` of a `[*, width]` row-major array, stacked.
    static func gather(_ source: [Float], rows: [Int], width: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows.count * width) { out, initialized in
            source.withUnsafeBufferPointer { src in
                for (r, i) in rows.enumerated() {
                    precondition(i >= 0 && (i + 1) * width <= src.count, "ReplayBuffer: slot \(i) out of range")
                    (out.baseAddress! + r * width).initialize(from: src.baseAddress! + i * width, count: width)
                }
            }
            initialized = rows.count * width
        }
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
    }
}
