import TrainKitCore
import TrainKitOptim

/// Everything an agent needs to continue training exactly where it stopped: tensors (network weights, optimizer
/// buffers, the environments' action log) and plain values (counters, the random stream, episode statistics).
///
/// Tensor keys: `policy.<name>` (and `target.<name>` for DQN's target network), `optimizer.<name>`,
/// `action_log` (`[steps, n_envs · action width]` float64: every action the environments received, so a
/// resumed run replays them from the seeded reset and finds the environments in the same state) and
/// `last_observations`. Writing the state to disk is the caller's (the CLI writes one safetensors file).
public struct AgentState: Sendable {
    public var tensors: [String: Tensor]
    public var metadata: AgentStateMetadata

    public init(tensors: [String: Tensor], metadata: AgentStateMetadata) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Throws ``AgentError/badState(_:)`` unless the state was saved by `agent` with `seed` and `envCount`
    /// environments (a resume continues only the run it was saved from).
    func checkOrigin(agent: String, seed: UInt64, envCount: Int) throws {
        let m = metadata
        guard m.agent == agent else { throw AgentError.badState("it was saved by \(m.agent), not \(agent)") }
        guard m.seed == seed, m.envCount == envCount else {
            throw AgentError.badState("it was saved with seed \(m.seed) and \(m.envCount) environments, "
                                      + "this run has seed \(seed) and \(envCount)")
        }
    }

    /// The tensors whose keys start with `prefix`, keyed without it (`part("policy.")` → the network's state dict).
    func part(_ prefix: String) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: tensors.filter { $0.key.hasPrefix(prefix) }
            .map { (String($0.key.dropFirst(prefix.count)), $0.value) })
    }
}

/// The plain-value part of an ``AgentState`` (JSON in the checkpoint's metadata).
public struct AgentStateMetadata: Codable, Sendable, Equatable {
    public var agent: String
    public var seed: UInt64
    public var envCount: Int
    public var numTimesteps: Int
    public var updates: Int
    public var iterations: Int
    public var rng: UInt64
    public var lastEpisodeStarts: [Bool]
    /// Finished training episodes as `[return, length, env steps]`.
    public var episodes: [[Double]]
    public var optimizer: OptimizerMetadata
    /// Algorithm-specific counters (DQN: `target_updates`, `last_target_update`).
    public var counters: [String: Int] = [:]
    /// Algorithm-specific numbers (DQN: `exploration_rate`).
    public var scalars: [String: Double] = [:]
    /// The states of further optimizers by name (SAC: `critic`, `ent_coef`; `optimizer` holds the actor's).
    public var optimizers: [String: OptimizerMetadata]? = nil
}

/// Replays recorded actions on a freshly seeded vector environment, leaving every environment (its physics,
/// random stream, time limit and episode statistics) where the recorded run left it; returns the last
/// observations.
func replayActions(_ log: [Double], on environment: VectorEnvironment, seed: UInt64, actionWidth: Int) throws -> [Float] {
    var observations = environment.reset(seed: seed)
    let stride = environment.count * actionWidth
    guard stride > 0, log.count % stride == 0 else {
        throw AgentError.badState("the action log holds \(log.count) values, not a multiple of \(stride)")
    }
    var start = 0
    while start < log.count {
        let actions: [Action] = (0..<environment.count).map { e in
            let row = Array(log[(start + e * actionWidth)..<(start + (e + 1) * actionWidth)])
            if case .discrete = environment.actionSpace { return .discrete(Int(row[0])) }
            return .continuous(row)
        }
        observations = try environment.step(actions).observations
        start += stride
    }
    return observations
}

extension Action {
    /// The action as the floats the action log stores (a discrete action as its index).
    var logged: [Double] {
        switch self {
        case .discrete(let a): return [Double(a)]
        case .continuous(let v): return v
        }
    }
}
