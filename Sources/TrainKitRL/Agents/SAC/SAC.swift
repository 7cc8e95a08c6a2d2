import Foundation
import TrainKitCore
import TrainKitNN
import TrainKitOptim

/// Soft Actor-Critic (Haarnoja et al. 2018, with automatic entropy tuning) as Stable-Baselines3's `SAC`.
///
/// The actor is a ``SquashedDiagonalGaussian``: `a = tanh(μ(s) + σ(s) · ε)`, rescaled from `[−1, 1]` to the
/// action box. Every `train_freq` steps, `gradient_steps` minibatches of `batch_size` transitions from the replay
/// buffer each make, in SB3's order:
///
///     α = exp(log α)                                                    (ent_coef auto; else the fixed value)
///     L_α = −mean(log α · (log π(ã|s) + H̄))                            (H̄ = target entropy, −dim A)
///     y = r + γ (1 − done) (min_j Q′_j(s′, ã′) − α log π(ã′|s′)),  ã′ ~ π(·|s′)
///     L_Q = ½ Σ_j mean((Q_j(s, a) − y)²)
///     L_π = mean(α log π(ã|s) − min_j Q_j(s, ã)),  ã ~ π(·|s) (reparameterised)
///
/// one Adam step each (log α, then the critics, then the actor), and the target critics move to
/// `τ Q + (1 − τ) Q′`. Before `learning_starts` actions are uniform over the box. A truncated episode stores
/// its final observation with `done = 0`, as DQN's.
///
/// ```swift
/// let env = try VectorEnvironment(count: 1, autoreset: .sameStep) { _ in try Environments.make("Pendulum-v1") }
/// var c = SACConfiguration(); c.learningRate = .constant(1e-3)
/// let sac = try SAC(environment: env, configuration: c, seed: 0)
/// try sac.learn(totalTimesteps: 20_000)
/// ```
public final class SAC: Agent {
    public static let name = "sac"
    public let configuration: SACConfiguration
    public let environment: VectorEnvironment
    /// Actor, critics and target critics with SB3's names.
    public let policy: SACPolicy
    /// `log_ent_coef` (`[1]`) when `ent_coef` is `auto`.
    public let logEntCoef: Parameter?
    public let actorOptimizer: Optimizer<Adam>, criticOptimizer: Optimizer<Adam>
    public let entCoefOptimizer: Optimizer<Adam>?
    public let observationDimension: Int, actionDimension: Int
    /// The action box's bounds.
    public let low: [Double], high: [Double]
    public let targetEntropy: Double
    public let seed: UInt64
    public internal(set) var numTimesteps = 0
    public internal(set) var updates = 0
    /// Collection rounds so far.
    public internal(set) var rounds = 0
    public internal(set) var rng: AgentRandom
    var replay: ReplayBuffer
    var lastObservations: [Float]?
    var actionLog: [Double] = []
    public internal(set) var episodes: [EpisodeRecord] = []
    /// The last round's mean losses (`actor_loss`, `critic_loss`, `ent_coef_loss`) and `ent_coef`.
    public internal(set) var lastLosses: [String: Double] = [:]

    public init(environment: VectorEnvironment, configuration: SACConfiguration = SACConfiguration(), seed: UInt64 = 0) throws {
        try configuration.validate()
        observationDimension = try ActionConversion.observationDimension(environment.observationSpace, agent: Self.name)
        guard case .box(let low, let high) = environment.actionSpace, !low.isEmpty,
              zip(low, high).allSatisfy({ $0.isFinite && $1.isFinite && $0 < $1 }) else {
            throw AgentError.unsupportedSpace(agent: Self.name, space: "\(environment.actionSpace)",
                                              reason: "SAC needs a box action space with finite bounds, low < high")
        }
        self.low = low; self.high = high
        actionDimension = low.count
        self.configuration = configuration
        self.environment = environment
        self.seed = seed
        targetEntropy = configuration.targetEntropy ?? -Double(low.count)
        policy = SACPolicy(observationDimension: observationDimension, actionDimension: actionDimension,
                           netArch: configuration.netArch, activation: configuration.activation, key: RandomKey(seed: seed))
        let lr = configuration.learningRate.initialValue
        actorOptimizer = Optimizer(Adam(lr: lr), parameters: policy.actor.parameters)
        criticOptimizer = Optimizer(Adam(lr: lr), parameters: policy.critic.parameters)
        if case .auto(let initial) = configuration.entCoef {
            let p = Parameter(Tensor([Float(log(initial))], shape: [1]))
            logEntCoef = p
            entCoefOptimizer = Optimizer(Adam(lr: lr), parameters: [p])
        } else {
            logEntCoef = nil; entCoefOptimizer = nil
        }
        rng = AgentRandom(seed: seed)
        replay = ReplayBuffer(capacity: configuration.bufferSize, observationDimension: observationDimension,
                              actionDimension: actionDimension)
    }

    /// The entropy coefficient α now.
    public var entCoef: Double {
        if let logEntCoef { return exp(logEntCoef.detachedValue.item()) }
        if case .fixed(let v) = configuration.entCoef { return v }
        return 0
    }

    /// Trains until `numTimesteps >= totalTimesteps`. `afterRound` runs after each collection round (and its
    /// training); returning false stops there.
    public func learn(totalTimesteps: Int, afterRound: (SAC) throws -> Bool = { _ in true }) throws {
        let c = configuration, n = environment.count
        if lastObservations == nil { lastObservations = environment.reset(seed: seed) }
        while numTimesteps < totalTimesteps {
            var collected = 0
            while collected < c.trainFreq && numTimesteps < totalTimesteps {
                try collectStep()
                collected += 1
            }
            rounds += 1
            if numTimesteps > 0 && numTimesteps > c.learningStarts {
                let steps = c.gradientSteps >= 0 ? c.gradientSteps : collected * n
                try train(gradientSteps: steps, progressRemaining: 1 - Double(numTimesteps) / Double(totalTimesteps))
            }
            if try !afterRound(self) { break }
        }
    }

    /// One step of every environment: act (uniformly before `learning_starts`, else a sample of the actor), store
    /// the transitions with the action scaled to `[−1, 1]`.
    func collectStep() throws {
        let n = environment.count, od = observationDimension, ad = actionDimension
        let obs = lastObservations!
        var squashed: [[Double]]
        if numTimesteps < configuration.learningStarts {
            squashed = (0..<n).map { _ in (0..<ad).map { _ in 2 * rng.uniform() - 1 } }
        } else {
            squashed = sampleActions(obs, count: n, deterministic: false, using: &rng)
        }
        let actions = squashed.map { Action.continuous(SquashedDiagonalGaussian.unscale($0, low: low, high: high)) }
        let result = try environment.step(actions)
        for a in actions { actionLog += a.logged }
        numTimesteps += n
        for (_, episode) in result.episodes.sorted(by: { $0.key < $1.key }) {
            episodes.append(EpisodeRecord(reward: episode.return, length: episode.length, envSteps: numTimesteps))
        }
        for e in 0..<n {
            var next = Array(result.observations[(e * od)..<((e + 1) * od)])
            if let final = result.finalObservations[e] { next = final.map(Float.init) }
            replay.add(observation: obs[(e * od)..<((e + 1) * od)], nextObservation: next, action: squashed[e].map(Float.init),
                       reward: result.rewards[e], terminated: result.terminated[e])
        }
        lastObservations = result.observations
    }

    /// Squashed actions in `[−1, 1]` for observation rows `[count, obs]`: `tanh(μ)` when deterministic, else
    /// `tanh(μ + σ ε)` with ε from `rng`.
    func sampleActions(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [[Double]] {
        let (mu, logStd) = noGrad {
            let (m, s) = policy.actor(Tensor(observations, shape: [count, observationDimension]))
            return (m.toArray(as: Float.self), s.toArray(as: Float.self))
        }
        let ad = actionDimension
        return (0..<count).map { i in
            (0..<ad).map { j in
                let m = Double(mu[i * ad + j])
                return deterministic ? Foundation.tanh(m) : Foundation.tanh(m + exp(Double(logStd[i * ad + j])) * rng.normal())
            }
        }
    }

    public func predict(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action] {
        sampleActions(observations, count: count, deterministic: deterministic, using: &rng)
            .map { .continuous(SquashedDiagonalGaussian.unscale($0, low: low, high: high)) }
    }
}
