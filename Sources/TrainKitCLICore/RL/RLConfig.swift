import Foundation
import TrainKit

/// A `trainkit rl` config: which environment, which agent with which hyperparameters (Stable-Baselines3's
/// names), how long to train, how to evaluate, the seed and the run directory.
///
/// ```yaml
/// env: {id: CartPole-v1, n_envs: 8}
/// agent: {name: ppo, n_steps: 32, batch_size: 256, learning_rate: lin_0.001, clip_range: lin_0.2}
/// training: {total_timesteps: 100000}
/// evaluation: {episodes: 100, deterministic: true, every_steps: 10000}
/// seed: 0
/// output: runs/cartpole-ppo
/// ```
struct RLConfig: Sendable {
    var envID: String
    var nEnvs = 1
    /// `env.max_episode_steps` / a `time_limit` wrapper: overrides the registered time limit.
    var maxEpisodeSteps: Int?
    /// `env.normalize`: SB3's `VecNormalize` on the training environments (nil: none).
    var normalize: RLNormalizeSettings?
    var agent: AgentSettings
    var totalTimesteps: Int
    /// Environment steps between checkpoints (0: only at the end).
    var checkpointEverySteps = 0
    /// Threads for the networks' kernels (`training.threads`): 1 by default, since a small-batch MLP step is
    /// faster on one core than split across several (measured in BENCHMARKS.md).
    var threads = 1
    var evaluationEpisodes = 100
    var deterministic = true
    /// Environment steps between evaluations during training (0: none).
    var evaluateEverySteps = 0
    /// Episodes of each evaluation during training.
    var evaluateEveryEpisodes = 20
    var seed: UInt64 = 0
    var output: String
    /// The config as read, written back as the run's config.yaml.
    var node: ConfigNode

    enum AgentSettings: Sendable {
        case ppo(PPOConfiguration)
        case dqn(DQNConfiguration)
        case sac(SACConfiguration)
        case a2c(A2CConfiguration)

        var name: String {
            switch self {
            case .ppo: return PPO.name
            case .dqn: return DQN.name
            case .sac: return SAC.name
            case .a2c: return A2C.name
            }
        }
    }

    static let agentNames = [PPO.name, DQN.name, SAC.name, A2C.name]

    /// Reads and checks a config file; relative `output` paths are taken from the current directory.
    static func load(file: String, overrides: [String] = []) throws -> RLConfig {
        var node = try ConfigNode.load(file: file)
        for assignment in overrides { try ConfigOverride.apply(assignment, to: &node) }
        return try RLConfig(node: node)
    }

    init(node: ConfigNode) throws {
        self.node = node
        var root = try RLConfigReader(node, path: "")
        var env = try RLConfigReader(root.raw("env"), path: "env")
        guard let id = try env.string("id") else {
            throw ConfigError.missingKey(path: "env.id", hint: "name a Gymnasium id: \(Environments.ids.joined(separator: ", "))")
        }
        guard Environments.ids.contains(id) else {
            let hint = nearest(id, among: Environments.ids).map { "did you mean '\($0)'? " } ?? ""
            throw ConfigError.invalidValue(path: "env.id", reason: "unknown environment '\(id)'; \(hint)known: "
                                           + Environments.ids.joined(separator: ", "), location: node["env"]?["id"]?.location)
        }
        envID = id
        nEnvs = try env.int("n_envs", min: 1) ?? 1
        maxEpisodeSteps = try env.int("max_episode_steps", min: 1)
        if let wrappers = env.raw("wrappers") {
            maxEpisodeSteps = try Self.readWrappers(wrappers) ?? maxEpisodeSteps
        }
        normalize = try RLNormalizeSettings.read(&env)
        try env.finish()

        var agentReader = try RLConfigReader(root.raw("agent"), path: "agent")
        let name = try agentReader.string("name", choices: Self.agentNames) ?? PPO.name
        switch name {
        case DQN.name: agent = .dqn(try Self.readDQN(&agentReader))
        case SAC.name: agent = .sac(try Self.readSAC(&agentReader))
        case A2C.name: agent = .a2c(try Self.readA2C(&agentReader))
        default: agent = .ppo(try Self.readPPO(&agentReader))
        }
        try agentReader.finish()

        var training = try RLConfigReader(root.raw("training"), path: "training")
        guard let total = try training.int("total_timesteps", min: 1) else {
            throw ConfigError.missingKey(path: "training.total_timesteps", hint: "how many environment steps to train")
        }
        totalTimesteps = total
        checkpointEverySteps = try training.int("checkpoint_every_steps", min: 0) ?? 0
        threads = try training.int("threads", min: 1) ?? 1
        try training.finish()

        var evaluation = try RLConfigReader(root.raw("evaluation"), path: "evaluation")
        evaluationEpisodes = try evaluation.int("episodes", min: 1) ?? 100
        deterministic = try evaluation.bool("deterministic") ?? true
        evaluateEverySteps = try evaluation.int("every_steps", min: 0) ?? 0
        evaluateEveryEpisodes = try evaluation.int("every_episodes", min: 1) ?? 20
        try evaluation.finish()

        seed = UInt64(try root.int("seed", min: 0) ?? 0)
        output = try root.string("output") ?? "runs/\(envID.lowercased())-\(name)"
        try root.finish()
    }

    /// `wrappers: [{time_limit: 200}]`: the one wrapper a config can add today (the registry applies Gymnasium's
    /// own TimeLimit already).
    static func readWrappers(_ node: ConfigNode) throws -> Int? {
        guard case .list(let items) = node.value else {
            throw ConfigError.wrongType(path: "env.wrappers", expected: "a list of wrappers", got: node.describe, location: node.location)
        }
        var limit: Int?
        for (i, item) in items.enumerated() {
            var reader = try RLConfigReader(item, path: "env.wrappers.\(i)")
            limit = try reader.int("time_limit", min: 1) ?? limit
            try reader.finish()
        }
        return limit
    }

    static func readPolicyKwargs(_ reader: inout RLConfigReader) throws -> (pi: [Int]?, vf: [Int]?, activation: Activation?, ortho: Bool?, logStd: Double?) {
        var kwargs = try RLConfigReader(reader.raw("policy_kwargs"), path: "agent.policy_kwargs")
        var pi: [Int]?, vf: [Int]?
        if let arch = kwargs.node["net_arch"], arch.entries != nil {
            var a = try RLConfigReader(kwargs.raw("net_arch"), path: "agent.policy_kwargs.net_arch")
            pi = try a.widths("pi"); vf = try a.widths("vf")
            try a.finish()
        } else if let shared = try kwargs.widths("net_arch") {
            pi = shared; vf = shared
        }
        let activation = try kwargs.string("activation_fn", choices: Activation.allCases.map(\.rawValue)).flatMap(Activation.init(rawValue:))
        let ortho = try kwargs.bool("ortho_init")
        let logStd = try kwargs.double("log_std_init")
        try kwargs.finish()
        return (pi, vf, activation, ortho, logStd)
    }

    static func readPPO(_ r: inout RLConfigReader) throws -> PPOConfiguration {
        var c = PPOConfiguration()
        if let v = try r.schedule("learning_rate") { c.learningRate = v }
        if let v = try r.int("n_steps", min: 1) { c.nSteps = v }
        if let v = try r.int("batch_size", min: 1) { c.batchSize = v }
        if let v = try r.int("n_epochs", min: 1) { c.nEpochs = v }
        if let v = try r.double("gamma") { c.gamma = v }
        if let v = try r.double("gae_lambda") { c.gaeLambda = v }
        if let v = try r.schedule("clip_range") { c.clipRange = v }
        if let v = try r.schedule("clip_range_vf") { c.clipRangeVf = v }
        if let v = try r.bool("normalize_advantage") { c.normalizeAdvantage = v }
        if let v = try r.double("ent_coef") { c.entCoef = v }
        if let v = try r.double("vf_coef") { c.vfCoef = v }
        if let v = try r.double("max_grad_norm") { c.maxGradNorm = v }
        if let v = try r.double("target_kl") { c.targetKl = v }
        let k = try readPolicyKwargs(&r)
        if let v = k.pi { c.policyLayers = v }
        if let v = k.vf { c.valueLayers = v }
        if let v = k.activation { c.activation = v }
        if let v = k.ortho { c.orthoInit = v }
        if let v = k.logStd { c.logStdInit = v }
        return c
    }

    /// An agent's own range check, reported at the config key it came from.
    static func checked<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch AgentError.invalidHyperparameter(let name, let value, let expected) {
            throw ConfigError.invalidValue(path: "agent.\(name)", reason: "\(value): expected \(expected)", location: nil)
        }
    }
}

extension RLConfig {
    static func readDQN(_ r: inout RLConfigReader) throws -> DQNConfiguration {
        var c = DQNConfiguration()
        if let v = try r.schedule("learning_rate") { c.learningRate = v }
        if let v = try r.int("buffer_size", min: 1) { c.bufferSize = v }
        if let v = try r.int("learning_starts", min: 0) { c.learningStarts = v }
        if let v = try r.int("batch_size", min: 1) { c.batchSize = v }
        if let v = try r.double("tau") { c.tau = v }
        if let v = try r.double("gamma") { c.gamma = v }
        if let v = try r.int("train_freq", min: 1) { c.trainFreq = v }
        if let v = try r.int("gradient_steps", min: -1) { c.gradientSteps = v }
        if let v = try r.int("target_update_interval", min: 1) { c.targetUpdateInterval = v }
        if let v = try r.double("exploration_fraction") { c.explorationFraction = v }
        if let v = try r.double("exploration_initial_eps") { c.explorationInitialEps = v }
        if let v = try r.double("exploration_final_eps") { c.explorationFinalEps = v }
        if let v = try r.double("max_grad_norm") { c.maxGradNorm = v }
        if let v = try r.bool("double_q") { c.doubleQ = v }
        var kwargs = try RLConfigReader(r.raw("policy_kwargs"), path: "agent.policy_kwargs")
        if let v = try kwargs.widths("net_arch") { c.netArch = v }
        if let v = try kwargs.string("activation_fn", choices: Activation.allCases.map(\.rawValue)) {
            c.activation = Activation(rawValue: v)!
        }
        try kwargs.finish()
        return c
    }

    /// The vector environment the config describes (same-step autoreset: the agents bootstrap truncated episodes
    /// from the final observation).
    /// With `env.normalize`, the environment normalizes inside (`VectorEnvironment.normalization`).
    func makeEnvironment() throws -> VectorEnvironment {
        let limit = try maxEpisodeSteps ?? Environments.spec(envID).maxEpisodeSteps
        let environment = try VectorEnvironment(count: nEnvs, autoreset: .sameStep) { _ in
            try Environments.make(envID, maxEpisodeSteps: limit)
        }
        // An out-of-range agent gamma is reported at agent.gamma when the agent is made.
        let gamma = (0...1).contains(agentGamma) ? agentGamma : 0.99
        environment.normalization = try normalize?.make(for: environment, agentGamma: gamma)
        return environment
    }

    /// The agent's discount `gamma` (`env.normalize`'s default).
    var agentGamma: Double {
        switch agent {
        case .ppo(let c): return c.gamma
        case .dqn(let c): return c.gamma
        case .sac(let c): return c.gamma
        case .a2c(let c): return c.gamma
        }
    }

    /// One environment for evaluation.
    func makeSingleEnvironment() throws -> any Environment {
        try Environments.make(envID, maxEpisodeSteps: try maxEpisodeSteps ?? Environments.spec(envID).maxEpisodeSteps)
    }

    /// The agent the config describes, on `environment`; a hyperparameter out of range is reported at its key.
    func makeAgent(on environment: VectorEnvironment) throws -> RLAgent {
        try Self.checked {
            switch agent {
            case .ppo(let c): return .ppo(try PPO(environment: environment, configuration: c, seed: seed))
            case .dqn(let c): return .dqn(try DQN(environment: environment, configuration: c, seed: seed))
            case .sac(let c): return .sac(try SAC(environment: environment, configuration: c, seed: seed))
            case .a2c(let c): return .a2c(try A2C(environment: environment, configuration: c, seed: seed))
            }
        }
    }
}

/// A built agent of either kind, with what the run needs from both.
enum RLAgent {
    case ppo(PPO)
    case dqn(DQN)
    case sac(SAC)
    case a2c(A2C)

    var agent: any Agent {
        switch self {
        case .ppo(let a): return a
        case .dqn(let a): return a
        case .sac(let a): return a
        case .a2c(let a): return a
        }
    }

    var numTimesteps: Int { agent.numTimesteps }

    var episodes: [EpisodeRecord] {
        switch self {
        case .ppo(let a): return a.episodes
        case .dqn(let a): return a.episodes
        case .sac(let a): return a.episodes
        case .a2c(let a): return a.episodes
        }
    }

    /// Trains to `total` steps; `after` runs after each iteration (PPO, A2C) or collection round (DQN, SAC).
    func learn(total: Int, after: () throws -> Bool) throws {
        switch self {
        case .ppo(let a): try a.learn(totalTimesteps: total) { _ in try after() }
        case .dqn(let a): try a.learn(totalTimesteps: total) { _ in try after() }
        case .sac(let a): try a.learn(totalTimesteps: total) { _ in try after() }
        case .a2c(let a): try a.learn(totalTimesteps: total) { _ in try after() }
        }
    }

    /// The latest training statistics for the learning curve.
    var statistics: [String: Double] {
        switch self {
        case .ppo(let a): return a.lastLosses.merging(["updates": Double(a.updates)]) { x, _ in x }
        case .dqn(let a):
            var s = ["updates": Double(a.updates), "exploration_rate": a.explorationRate]
            if let loss = a.lastLoss { s["loss"] = loss }
            return s
        case .sac(let a): return a.lastLosses.merging(["updates": Double(a.updates), "ent_coef": a.entCoef]) { x, _ in x }
        case .a2c(let a): return a.lastLosses.merging(["updates": Double(a.updates)]) { x, _ in x }
        }
    }

    func state() -> AgentState {
        switch self {
        case .ppo(let a): return a.state()
        case .dqn(let a): return a.state()
        case .sac(let a): return a.state()
        case .a2c(let a): return a.state()
        }
    }

    func load(_ state: AgentState) throws {
        switch self {
        case .ppo(let a): try a.load(state)
        case .dqn(let a): try a.load(state)
        case .sac(let a): try a.load(state)
        case .a2c(let a): try a.load(state)
        }
    }

    /// The network that acts (PPO's and A2C's actor-critic, DQN's `q_net`, SAC's policy with its critics), with
    /// SB3's parameter names.
    var policyModule: any Module {
        switch self {
        case .ppo(let a): return a.policy
        case .dqn(let a): return a.qNet
        case .sac(let a): return a.policy
        case .a2c(let a): return a.policy
        }
    }
}
