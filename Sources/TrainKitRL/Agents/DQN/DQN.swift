import Foundation
import TrainKitCore
import TrainKitNN
import TrainKitOptim

/// Deep Q-learning (Mnih et al. 2015) as Stable-Baselines3's `DQN`: ε-greedy exploration on a linear
/// schedule, a replay buffer, a target network and the Huber loss.
///
/// Every `train_freq` steps of each environment, `gradient_steps` minibatches of `batch_size` transitions are
/// drawn uniformly from the buffer and the online network `Q` takes one Adam step each on
///
///     y = r + γ · (1 − done) · max_a′ Q_target(s′, a′)      (double DQN: Q_target(s′, argmax_a′ Q(s′, a′)))
///     L = mean(huber(Q(s, a) − y))                           (SB3's smooth_l1_loss, β = 1)
///
/// with gradients clipped to `max_grad_norm`. Every `target_update_interval` steps the target moves to
/// `τ · Q + (1 − τ) · Q_target` (τ = 1: a copy). A truncated episode stores its final observation as `s′` with
/// `done = 0`, so the target bootstraps from it.
public final class DQN: Agent {
    public static let name = "dqn"
    public let configuration: DQNConfiguration
    public let environment: VectorEnvironment
    /// `q_net` and `q_net_target`: `[B, obs] → [B, n actions]` (Sequential names `0`, `2`, …, as SB3's `q_net`).
    public let qNet: Sequential, qNetTarget: Sequential
    public let optimizer: Optimizer<Adam>
    public let observationDimension: Int, actionCount: Int
    public let seed: UInt64
    public internal(set) var numTimesteps = 0
    public internal(set) var updates = 0
    /// Calls of the per-step hook (SB3's `_n_calls`), which paces target updates.
    var calls = 0
    public internal(set) var rng: AgentRandom
    public internal(set) var explorationRate: Double
    var replay: ReplayBuffer
    var lastObservations: [Float]?
    var actionLog: [Double] = []
    public internal(set) var episodes: [EpisodeRecord] = []
    /// The mean loss of the last training round.
    public internal(set) var lastLoss: Double?

    public init(environment: VectorEnvironment, configuration: DQNConfiguration = DQNConfiguration(), seed: UInt64 = 0) throws {
        try configuration.validate()
        observationDimension = try ActionConversion.observationDimension(environment.observationSpace, agent: Self.name)
        guard case .discrete(let n) = environment.actionSpace else {
            throw AgentError.unsupportedSpace(agent: Self.name, space: "\(environment.actionSpace)",
                                              reason: "DQN needs a discrete action space")
        }
        actionCount = n
        self.configuration = configuration
        self.environment = environment
        self.seed = seed
        let key = RandomKey(seed: seed)
        qNet = MLPNetwork.make(inputs: observationDimension, hidden: configuration.netArch, outputs: n,
                               activation: configuration.activation, gain: nil, key: key)
        qNetTarget = MLPNetwork.make(inputs: observationDimension, hidden: configuration.netArch, outputs: n,
                                     activation: configuration.activation, gain: nil, key: key)
        optimizer = Optimizer(Adam(lr: configuration.learningRate.initialValue), parameters: qNet.parameters)
        rng = AgentRandom(seed: seed)
        explorationRate = configuration.explorationInitialEps
        replay = ReplayBuffer(capacity: configuration.bufferSize, observationDimension: observationDimension, actionDimension: 1)
    }

    /// Trains until `numTimesteps >= totalTimesteps`. `afterRound` runs after each collection round (and its
    /// training); returning false stops there.
    public func learn(totalTimesteps: Int, afterRound: (DQN) throws -> Bool = { _ in true }) throws {
        let c = configuration, n = environment.count
        if lastObservations == nil { lastObservations = environment.reset(seed: seed) }
        while numTimesteps < totalTimesteps {
            var collected = 0
            while collected < c.trainFreq && numTimesteps < totalTimesteps {
                try collectStep(totalTimesteps: totalTimesteps)
                collected += 1
            }
            if numTimesteps > 0 && numTimesteps > c.learningStarts {
                let steps = c.gradientSteps >= 0 ? c.gradientSteps : collected * n
                try train(gradientSteps: steps, progressRemaining: 1 - Double(numTimesteps) / Double(totalTimesteps))
            }
            if try !afterRound(self) { break }
        }
    }

    /// One step of every environment: act, store the transitions, advance ε and the target network.
    func collectStep(totalTimesteps: Int) throws {
        let c = configuration, n = environment.count, od = observationDimension
        let obs = lastObservations!
        var actions: [Int]
        if numTimesteps < c.learningStarts {
            actions = (0..<n).map { _ in rng.int(below: actionCount) }
        } else {
            let greedy = greedyActions(obs, count: n)
            actions = greedy.map { a in rng.uniform() < explorationRate ? rng.int(below: actionCount) : a }
        }
        let result = try environment.step(actions.map(Action.discrete))
        actionLog += actions.map(Double.init)
        numTimesteps += n
        for (_, episode) in result.episodes.sorted(by: { $0.key < $1.key }) {
            episodes.append(EpisodeRecord(reward: episode.return, length: episode.length, envSteps: numTimesteps))
        }
        for e in 0..<n {
            var next = Array(result.observations[(e * od)..<((e + 1) * od)])
            if let final = result.finalObservations[e] { next = final.map(Float.init) }
            replay.add(observation: obs[(e * od)..<((e + 1) * od)], nextObservation: next, action: [Float(actions[e])],
                       reward: result.rewards[e], terminated: result.terminated[e])
        }
        lastObservations = result.observations
        let progressRemaining = 1 - Double(numTimesteps) / Double(totalTimesteps)
        // SB3's _on_step: target update every max(interval / n_envs, 1) calls, then ε from the schedule.
        calls += 1
        if calls % Swift.max(c.targetUpdateInterval / n, 1) == 0 { updateTarget() }
        explorationRate = c.exploration.value(progressRemaining: progressRemaining)
    }

    /// `argmax_a Q(s, a)` for observation rows `[count, obs]`, off the tape.
    func greedyActions(_ observations: [Float], count: Int) -> [Int] {
        let q = noGrad { qNet(Tensor(observations, shape: [count, observationDimension])).toArray() }
        return (0..<count).map { Categorical.mode(q[($0 * actionCount)..<(($0 + 1) * actionCount)]) }
    }

    public func predict(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action] {
        greedyActions(observations, count: count).map { a in
            .discrete(!deterministic && rng.uniform() < explorationRate ? rng.int(below: actionCount) : a)
        }
    }

    /// `θ_target ← τ · θ + (1 − τ) · θ_target` (Polyak; τ = 1 copies).
    func updateTarget() {
        polyakUpdate(from: qNet.parameters, to: qNetTarget.parameters, tau: configuration.tau)
    }
}
