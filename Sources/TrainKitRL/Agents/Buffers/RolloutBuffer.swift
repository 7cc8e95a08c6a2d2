/// One rollout of `steps × envs` transitions for on-policy agents (SB3's `RolloutBuffer`), stored time-major:
/// row `t · envs + e` is step `t` of environment `e`.
///
/// After the rollout, ``computeReturnsAndAdvantages(lastValues:lastDones:gamma:gaeLambda:)`` fills the
/// generalised advantage estimates (Schulman et al. 2016), backwards over `t`:
///
///     δₜ = rₜ + γ · V(sₜ₊₁) · (1 − doneₜ₊₁) − V(sₜ)
///     Aₜ = δₜ + γ · λ · (1 − doneₜ₊₁) · Aₜ₊₁
///     Rₜ = Aₜ + V(sₜ)            (the value target, TD(λ))
///
/// where `doneₜ₊₁` is the episode-start flag of step `t + 1` (for the last step, the `dones` after it) and
/// `V(sₜ₊₁)` the next stored value (for the last step, `lastValues`). A truncated episode's bootstrap
/// `γ · V(final observation)` is already added to its last reward by the agent.
public struct RolloutBuffer: Sendable {
    public let steps: Int, envs: Int, observationDimension: Int, actionDimension: Int
    public internal(set) var observations: [Float]     // [steps·envs, obs]
    public internal(set) var actions: [Float]          // [steps·envs, act] (a discrete action as its index)
    public internal(set) var rewards: [Double]         // [steps·envs]
    public internal(set) var episodeStarts: [Bool]     // [steps·envs]
    public internal(set) var values: [Double]          // [steps·envs]
    public internal(set) var logProbs: [Double]        // [steps·envs]
    public internal(set) var advantages: [Double]      // [steps·envs]
    public internal(set) var returns: [Double]         // [steps·envs]
    public private(set) var filled = 0                 // steps added so far

    public init(steps: Int, envs: Int, observationDimension: Int, actionDimension: Int) {
        self.steps = steps; self.envs = envs
        self.observationDimension = observationDimension; self.actionDimension = actionDimension
        let n = steps * envs
        observations = Array(repeating: 0, count: n * observationDimension)
        actions = Array(repeating: 0, count: n * actionDimension)
        rewards = Array(repeating: 0, count: n); episodeStarts = Array(repeating: false, count: n)
        values = rewards; logProbs = rewards; advantages = rewards; returns = rewards
    }

    public var count: Int { steps * envs }
    public var isFull: Bool { filled == steps }

    /// Starts a new rollout (the arrays are overwritten step by step).
    public mutating func reset() { filled = 0 }

    /// Adds one step of every environment: observations `[envs, obs]`, actions `[envs, act]`, and per env the
    /// reward, episode-start flag (whether the observation begins an episode), value and log-probability.
    public mutating func add(observations obs: [Float], actions act: [Float], rewards r: [Double],
                             episodeStarts starts: [Bool], values v: [Double], logProbs lp: [Double]) {
        precondition(filled < steps, "RolloutBuffer.add: the buffer holds \(steps) steps already")
        precondition(obs.count == envs * observationDimension && act.count == envs * actionDimension
                     && r.count == envs && starts.count == envs && v.count == envs && lp.count == envs,
                     "RolloutBuffer.add: expected \(envs) environments' rows")
        let row = filled * envs
        observations.replaceSubrange((row * observationDimension)..<((row + envs) * observationDimension), with: obs)
        actions.replaceSubrange((row * actionDimension)..<((row + envs) * actionDimension), with: act)
        for e in 0..<envs {
            rewards[row + e] = r[e]; episodeStarts[row + e] = starts[e]; values[row + e] = v[e]; logProbs[row + e] = lp[e]
        }
        filled += 1
    }

    /// Fills `advantages` and `returns` by GAE(γ, λ) (see the type's documentation).
    public mutating func computeReturnsAndAdvantages(lastValues: [Double], lastDones: [Bool], gamma: Double,
                                                     gaeLambda: Double) {
        precondition(isFull, "RolloutBuffer: computeReturnsAndAdvantages before the rollout is full")
        for e in 0..<envs {
            var lastGAE = 0.0
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let i = t * envs + e
                let nextNonTerminal: Double, nextValue: Double
                if t == steps - 1 {
                    nextNonTerminal = lastDones[e] ? 0 : 1; nextValue = lastValues[e]
                } else {
                    nextNonTerminal = episodeStarts[i + envs] ? 0 : 1; nextValue = values[i + envs]
                }
                let delta = rewards[i] + gamma * nextValue * nextNonTerminal - values[i]
                lastGAE = delta + gamma * gaeLambda * nextNonTerminal * lastGAE
                advantages[i] = lastGAE
                returns[i] = lastGAE + values[i]
            }
        }
    }

    /// Adds `amount` to the reward of row `t · envs + e` (the truncation bootstrap `γ · V(final observation)`).
    public mutating func addToReward(step t: Int, env e: Int, _ amount: Double) { rewards[t * envs + e] += amount }
}
