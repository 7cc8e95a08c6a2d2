import Foundation
import TrainKitCore
import TrainKitNN
import TrainKitOptim

/// Proximal Policy Optimization with the clipped surrogate objective (Schulman et al. 2017), as
/// Stable-Baselines3's `PPO`.
///
/// Each iteration collects `n_steps` steps from each of the vector environment's `n_envs` environments, computes
/// GAE advantages (``RolloutBuffer``), then runs `n_epochs` passes over the rollout in shuffled minibatches of
/// `batch_size`, minimising
///
///     L = −mean(min(Â · r, Â · clip(r, 1 − ε, 1 + ε))) + c_vf · mean((R − V′)²) − c_ent · mean(H)
///
/// with `r = exp(log π(a|s) − log π_old(a|s))`, `Â` the (normalised) advantages, `V′` the new value or, with
/// `clip_range_vf`, `V_old + clip(V − V_old, −ε_vf, ε_vf)`. Gradients are clipped to `max_grad_norm`; the
/// learning rate and `ε` follow their schedules over the progress remaining `1 − steps / total_timesteps`.
/// A truncated episode's last reward gets `γ · V(final observation)` (the vector environment runs in
/// ``AutoresetMode/sameStep`` and hands the final observation over).
///
/// ```swift
/// let env = try VectorEnvironment(count: 8, autoreset: .sameStep) { _ in try Environments.make("CartPole-v1") }
/// let ppo = try PPO(environment: env, configuration: PPOConfiguration(), seed: 0)
/// try ppo.learn(totalTimesteps: 100_000)
/// ```
public final class PPO: Agent {
    public static let name = "ppo"
    public let configuration: PPOConfiguration
    public let environment: VectorEnvironment
    public let policy: ActorCriticPolicy
    public let optimizer: Optimizer<Adam>
    public let observationDimension: Int, actionDimension: Int
    public internal(set) var numTimesteps = 0
    /// Gradient updates so far.
    public internal(set) var updates = 0
    /// Rollouts collected so far.
    public internal(set) var iterations = 0
    /// The stream for action sampling and minibatch order.
    public internal(set) var rng: AgentRandom
    /// The seed the environments were reset with (environment `i` gets `seed + i`).
    public let seed: UInt64
    var lastObservations: [Float]?
    var lastEpisodeStarts: [Bool]
    /// Every action the environments received, row after row (see ``AgentState``).
    var actionLog: [Double] = []
    var buffer: RolloutBuffer
    /// Episodes finished during training, oldest first.
    public internal(set) var episodes: [EpisodeRecord] = []
    /// The last update's mean losses (`policy_loss`, `value_loss`, `entropy_loss`, `approx_kl`, `clip_fraction`).
    public internal(set) var lastLosses: [String: Double] = [:]

    public init(environment: VectorEnvironment, configuration: PPOConfiguration = PPOConfiguration(), seed: UInt64 = 0) throws {
        try configuration.validate(envs: environment.count)
        self.configuration = configuration
        self.environment = environment
        self.seed = seed
        observationDimension = try ActionConversion.observationDimension(environment.observationSpace, agent: Self.name)
        let kind: ActorCriticPolicy.ActionKind
        switch environment.actionSpace {
        case .discrete(let n): kind = .categorical(n)
        case .box(let low, _): kind = .gaussian(low.count)
        }
        actionDimension = ActionConversion.dimension(of: environment.actionSpace)
        policy = ActorCriticPolicy(observationDimension: observationDimension, actionKind: kind,
                                   policyLayers: configuration.policyLayers, valueLayers: configuration.valueLayers,
                                   activation: configuration.activation, orthoInit: configuration.orthoInit,
                                   logStdInit: configuration.logStdInit, key: RandomKey(seed: seed))
        optimizer = Optimizer(Adam(lr: configuration.learningRate.initialValue, eps: 1e-5),
                              parameters: policy.parameters)
        rng = AgentRandom(seed: seed)
        lastEpisodeStarts = Array(repeating: true, count: environment.count)
        buffer = RolloutBuffer(steps: configuration.nSteps, envs: environment.count,
                               observationDimension: observationDimension, actionDimension: actionDimension)
    }

    /// Trains until `numTimesteps >= totalTimesteps` (the last rollout may overshoot, as SB3's). `afterIteration`
    /// runs after each rollout + update; returning false stops training there.
    public func learn(totalTimesteps: Int, afterIteration: (PPO) throws -> Bool = { _ in true }) throws {
        while numTimesteps < totalTimesteps {
            try collectRollout()
            let progressRemaining = 1 - Double(numTimesteps) / Double(totalTimesteps)
            try train(progressRemaining: progressRemaining)
            iterations += 1
            if try !afterIteration(self) { break }
        }
    }

    public func predict(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action] {
        actorCriticActions(observations, count: count, deterministic: deterministic, using: &rng)
    }
}

extension PPO: ActorCriticAgent {
    var nSteps: Int { configuration.nSteps }
    var gamma: Double { configuration.gamma }
    var gaeLambda: Double { configuration.gaeLambda }
    var trainingOptimizer: any OptimizerProtocol { optimizer }
}
