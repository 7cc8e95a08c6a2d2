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

    // MARK: - Acting

    /// Distribution parameters `[n, k]` and values `[n]` for observation rows, off the tape.
    func evaluate(_ observations: [Float], count: Int) -> (distribution: [Float], values: [Float]) {
        noGrad {
            let (d, v) = policy(Tensor(observations, shape: [count, observationDimension]))
            return (d.toArray(), v.toArray())
        }
    }

    public func predict(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action] {
        let (d, _) = evaluate(observations, count: count)
        return (0..<count).map { i in
            switch policy.actionKind {
            case .categorical(let n):
                let row = d[(i * n)..<((i + 1) * n)]
                return .discrete(deterministic ? Categorical.mode(row) : Categorical.sample(row, using: &rng).action)
            case .gaussian(let k):
                let row = d[(i * k)..<((i + 1) * k)]
                let values = deterministic ? row.map(Double.init)
                    : DiagonalGaussian.sample(means: row, logStd: policy.logStd!.detachedValue.toArray(), using: &rng).action
                return ActionConversion.clipped(values, to: environment.actionSpace)
            }
        }
    }

    // MARK: - Rollouts

    /// Fills the buffer with `n_steps` steps of every environment, then computes advantages and returns.
    func collectRollout() throws {
        let n = environment.count
        if lastObservations == nil { lastObservations = environment.reset(seed: seed) }
        buffer.reset()
        let logStd = policy.logStd?.detachedValue.toArray() ?? []
        for _ in 0..<configuration.nSteps {
            let obs = lastObservations!
            let (d, v) = evaluate(obs, count: n)
            var actions: [Action] = [], stored: [Float] = [], logProbs: [Double] = []
            actions.reserveCapacity(n); stored.reserveCapacity(n * actionDimension); logProbs.reserveCapacity(n)
            for e in 0..<n {
                switch policy.actionKind {
                case .categorical(let k):
                    let (a, lp) = Categorical.sample(d[(e * k)..<((e + 1) * k)], using: &rng)
                    actions.append(.discrete(a)); stored.append(Float(a)); logProbs.append(lp)
                case .gaussian(let k):
                    let (a, lp) = DiagonalGaussian.sample(means: d[(e * k)..<((e + 1) * k)], logStd: logStd, using: &rng)
                    actions.append(ActionConversion.clipped(a, to: environment.actionSpace))
                    stored += a.map(Float.init); logProbs.append(lp)
                }
            }
            let result = try environment.step(actions)
            for a in actions { actionLog += a.logged }
            numTimesteps += n
            var rewards = result.rewards
            // Truncation bootstrap: r += γ · V(final observation) for episodes cut by a time limit.
            let truncated = (0..<n).filter { result.truncated[$0] && !result.terminated[$0] }
            if !truncated.isEmpty {
                let finals = truncated.flatMap { e in
                    (result.finalObservations[e] ?? []).map(Float.init)
                }
                if finals.count == truncated.count * observationDimension {
                    let values = noGrad { policy.values(Tensor(finals, shape: [truncated.count, observationDimension])).toArray() }
                    for (j, e) in truncated.enumerated() { rewards[e] += configuration.gamma * Double(values[j]) }
                }
            }
            for (_, episode) in result.episodes.sorted(by: { $0.key < $1.key }) {
                episodes.append(EpisodeRecord(reward: episode.return, length: episode.length, envSteps: numTimesteps))
            }
            buffer.add(observations: obs, actions: stored, rewards: rewards, episodeStarts: lastEpisodeStarts,
                       values: v.map(Double.init), logProbs: logProbs)
            lastObservations = result.observations
            lastEpisodeStarts = (0..<n).map { result.terminated[$0] || result.truncated[$0] }
        }
        let lastValues = noGrad {
            policy.values(Tensor(lastObservations!, shape: [n, observationDimension])).toArray().map(Double.init)
        }
        buffer.computeReturnsAndAdvantages(lastValues: lastValues, lastDones: lastEpisodeStarts,
                                           gamma: configuration.gamma, gaeLambda: configuration.gaeLambda)
    }
}
