import Foundation
import TrainKitCore
import TrainKitNN
import TrainKitOptim

/// Advantage Actor-Critic (Mnih et al. 2016, synchronous) as Stable-Baselines3's `A2C`.
///
/// Each iteration collects `n_steps` steps from each of the `n_envs` environments with the same rollouts as
/// ``PPO`` (``RolloutBuffer``, GAE(γ, λ); λ = 1 gives the n-step return), then takes one gradient step on the
/// whole rollout:
///
///     L = −mean(Â · log π(a|s)) + c_vf · mean((R − V(s))²) − c_ent · mean(H)
///
/// (`Â` normalised when `normalize_advantage`), gradients clipped to `max_grad_norm`, then RMSprop (α 0.99,
/// ε `rms_prop_eps`; PyTorch's form, as SB3 uses it) or Adam steps.
///
/// ```swift
/// let env = try VectorEnvironment(count: 8, autoreset: .sameStep) { _ in try Environments.make("CartPole-v1") }
/// let a2c = try A2C(environment: env, configuration: A2CConfiguration(), seed: 0)
/// try a2c.learn(totalTimesteps: 500_000)
/// ```
public final class A2C: Agent {
    public static let name = "a2c"
    public let configuration: A2CConfiguration
    public let environment: VectorEnvironment
    public let policy: ActorCriticPolicy
    /// RMSprop (`use_rms_prop`, the default) or Adam over the policy's parameters.
    public let optimizer: any OptimizerProtocol
    public let observationDimension: Int, actionDimension: Int
    public internal(set) var numTimesteps = 0
    /// Gradient updates so far (one per rollout).
    public internal(set) var updates = 0
    /// Rollouts collected so far.
    public internal(set) var iterations = 0
    public internal(set) var rng: AgentRandom
    public let seed: UInt64
    var lastObservations: [Float]?
    var lastEpisodeStarts: [Bool]
    var actionLog: [Double] = []
    var buffer: RolloutBuffer
    public internal(set) var episodes: [EpisodeRecord] = []
    /// The last update's losses (`policy_gradient_loss`, `value_loss`, `entropy_loss`, `loss`).
    public internal(set) var lastLosses: [String: Double] = [:]

    public init(environment: VectorEnvironment, configuration: A2CConfiguration = A2CConfiguration(), seed: UInt64 = 0) throws {
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
        let lr = configuration.learningRate.initialValue
        optimizer = configuration.useRMSProp
            ? Optimizer(RMSprop(lr: lr, alpha: 0.99, eps: configuration.rmsPropEps), parameters: policy.parameters)
            : Optimizer(Adam(lr: lr, eps: 1e-5), parameters: policy.parameters)
        rng = AgentRandom(seed: seed)
        lastEpisodeStarts = Array(repeating: true, count: environment.count)
        buffer = RolloutBuffer(steps: configuration.nSteps, envs: environment.count,
                               observationDimension: observationDimension, actionDimension: actionDimension)
    }

    /// Trains until `numTimesteps >= totalTimesteps` (the last rollout may overshoot, as SB3's). `afterIteration`
    /// runs after each rollout + update; returning false stops training there.
    public func learn(totalTimesteps: Int, afterIteration: (A2C) throws -> Bool = { _ in true }) throws {
        while numTimesteps < totalTimesteps {
            try collectRollout()
            try train(progressRemaining: 1 - Double(numTimesteps) / Double(totalTimesteps))
            iterations += 1
            if try !afterIteration(self) { break }
        }
    }

    public func predict(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action] {
        actorCriticActions(observations, count: count, deterministic: deterministic, using: &rng)
    }

    /// The loss of one update on the filled buffer (see ``A2C``), on the tape, with its parts.
    func loss() -> (loss: Tensor, parts: [String: Tensor]) {
        let c = configuration, b = buffer.count, ad = actionDimension
        var adv = buffer.advantages
        if c.normalizeAdvantage && b > 1 {
            let mean = adv.reduce(0, +) / Double(b)
            let std = (adv.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(b - 1)).squareRoot()
            adv = adv.map { ($0 - mean) / (std + 1e-8) }
        }
        let (distribution, values) = policy(Tensor(buffer.observations, shape: [b, observationDimension]))
        let logProb: Tensor, entropy: Tensor
        switch policy.actionKind {
        case .categorical:
            logProb = Categorical.logProb(logits: distribution, actions: Tensor(buffer.actions.map { Int($0) }, shape: [b]))
            entropy = Categorical.entropy(logits: distribution)
        case .gaussian:
            let logStd = policy.logStd!.value
            logProb = DiagonalGaussian.logProb(means: distribution, logStd: logStd, actions: Tensor(buffer.actions, shape: [b, ad]))
            entropy = DiagonalGaussian.entropy(logStd: logStd, batch: b)
        }
        let policyLoss = -(Tensor(adv.map(Float.init), shape: [b]) * logProb).mean()
        let valueLoss = mseLoss(predictions: values, targets: Tensor(buffer.returns.map(Float.init), shape: [b]))
        let entropyLoss = -entropy.mean()
        let loss = policyLoss + entropyLoss * c.entCoef + valueLoss * c.vfCoef
        return (loss, ["policy_gradient_loss": policyLoss, "value_loss": valueLoss, "entropy_loss": entropyLoss])
    }

    /// One gradient step on the whole rollout.
    func train(progressRemaining: Double) throws {
        let c = configuration
        optimizer.learningRates = [c.learningRate.value(progressRemaining: progressRemaining)]
        let (loss, parts) = loss()
        updates += 1
        let value = try applyGradientStep(loss, optimizer: optimizer, maxGradNorm: c.maxGradNorm, agent: Self.name,
                                          update: updates, envSteps: numTimesteps)
        lastLosses = parts.mapValues { $0.item() }
        lastLosses["loss"] = value
        lastLosses["learning_rate"] = optimizer.learningRates[0]
    }
}

extension A2C: ActorCriticAgent {
    var nSteps: Int { configuration.nSteps }
    var gamma: Double { configuration.gamma }
    var gaeLambda: Double { configuration.gaeLambda }
    var trainingOptimizer: any OptimizerProtocol { optimizer }
}

extension A2C {
    /// The agent's full training state (see ``AgentState``), taken between iterations.
    public func state() -> AgentState { actorCriticState() }

    /// Restores a state from ``state()`` of an A2C with the same configuration, seed and environments.
    public func load(_ state: AgentState) throws { try loadActorCritic(state) }
}
