import Foundation
import TrainKitCore
import TrainKitNN
import TrainKitOptim

/// What PPO and A2C share: an ``ActorCriticPolicy`` acting on a vector environment, and on-policy rollouts of
/// `n_steps` steps per environment into a ``RolloutBuffer`` with GAE(γ, λ) advantages (SB3's
/// `OnPolicyAlgorithm.collect_rollouts`).
protocol ActorCriticAgent: Agent {
    var environment: VectorEnvironment { get }
    var policy: ActorCriticPolicy { get }
    var observationDimension: Int { get }
    var actionDimension: Int { get }
    var seed: UInt64 { get }
    var nSteps: Int { get }
    var gamma: Double { get }
    var gaeLambda: Double { get }
    var numTimesteps: Int { get set }
    var rng: AgentRandom { get set }
    var lastObservations: [Float]? { get set }
    var lastEpisodeStarts: [Bool] { get set }
    var actionLog: [Double] { get set }
    var buffer: RolloutBuffer { get set }
    var episodes: [EpisodeRecord] { get set }
    var updates: Int { get set }
    var iterations: Int { get set }
    var trainingOptimizer: any OptimizerProtocol { get }
}

extension ActorCriticAgent {
    // MARK: - Acting

    /// Distribution parameters `[n, k]` and values `[n]` for observation rows, off the tape.
    func evaluate(_ observations: [Float], count: Int) -> (distribution: [Float], values: [Float]) {
        noGrad {
            let (d, v) = policy(Tensor(observations, shape: [count, observationDimension]))
            return (d.toArray(), v.toArray())
        }
    }

    /// The policy's actions for observation rows `[count, obs]`: the mode when `deterministic`, else a sample;
    /// box actions clipped to the space.
    func actorCriticActions(_ observations: [Float], count: Int, deterministic: Bool, using rng: inout AgentRandom) -> [Action] {
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
        for _ in 0..<nSteps {
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
                    for (j, e) in truncated.enumerated() { rewards[e] += gamma * Double(values[j]) }
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
                                           gamma: gamma, gaeLambda: gaeLambda)
    }
}
