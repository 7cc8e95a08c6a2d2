/// DQN's hyperparameters, with Stable-Baselines3's names in the comments and its defaults.
public struct DQNConfiguration: Sendable, Equatable {
    /// `learning_rate` (Adam with PyTorch's defaults), a schedule over progress remaining.
    public var learningRate: Schedule = .constant(1e-4)
    /// `buffer_size`: replay capacity in transitions.
    public var bufferSize = 1_000_000
    /// `learning_starts`: steps of uniformly random actions before the first update.
    public var learningStarts = 100
    /// `batch_size`: transitions per gradient step.
    public var batchSize = 32
    /// `tau`: soft target update coefficient (1 = hard copy).
    public var tau = 1.0
    /// `gamma`: discount.
    public var gamma = 0.99
    /// `train_freq`: environment steps (per environment) between training rounds.
    public var trainFreq = 4
    /// `gradient_steps`: gradient steps per round (-1: as many as steps collected).
    public var gradientSteps = 1
    /// `target_update_interval`: environment steps between target-network updates.
    public var targetUpdateInterval = 10_000
    /// `exploration_fraction`: fraction of training over which ε falls from initial to final.
    public var explorationFraction = 0.1
    /// `exploration_initial_eps`, `exploration_final_eps`.
    public var explorationInitialEps = 1.0, explorationFinalEps = 0.05
    /// `max_grad_norm`: clips the global gradient norm.
    public var maxGradNorm = 10.0
    /// Double DQN (van Hasselt et al. 2016): the online network picks the next action, the target network values
    /// it. Not in SB3 (its DQN is the original); off by default.
    public var doubleQ = false
    /// `policy_kwargs.net_arch` and `activation_fn` (SB3's QNetwork: ReLU, PyTorch's default initialisation).
    public var netArch = [64, 64]
    public var activation = Activation.relu

    public init() {}

    /// The ε schedule: SB3's `get_linear_fn(initial, final, fraction)`.
    public var exploration: Schedule {
        .linearFraction(from: explorationInitialEps, to: explorationFinalEps, fraction: explorationFraction)
    }

    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ expected: String) -> AgentError {
            .invalidHyperparameter(name: name, value: "\(value)", expected: expected)
        }
        for p in [0.0, 1.0] where !(learningRate.value(progressRemaining: p) >= 0 && learningRate.value(progressRemaining: p).isFinite) {
            throw bad("learning_rate", learningRate.value(progressRemaining: p), "a finite number >= 0")
        }
        if bufferSize < 1 { throw bad("buffer_size", bufferSize, "an integer >= 1") }
        if learningStarts < 0 { throw bad("learning_starts", learningStarts, "an integer >= 0") }
        if batchSize < 1 { throw bad("batch_size", batchSize, "an integer >= 1") }
        if !(tau > 0 && tau <= 1) { throw bad("tau", tau, "a number in (0, 1]") }
        if !(gamma >= 0 && gamma <= 1) { throw bad("gamma", gamma, "a number in [0, 1]") }
        if trainFreq < 1 { throw bad("train_freq", trainFreq, "an integer >= 1") }
        if gradientSteps < -1 || gradientSteps == 0 { throw bad("gradient_steps", gradientSteps, "an integer >= 1, or -1") }
        if targetUpdateInterval < 1 { throw bad("target_update_interval", targetUpdateInterval, "an integer >= 1") }
        if !(explorationFraction > 0 && explorationFraction <= 1) {
            throw bad("exploration_fraction", explorationFraction, "a number in (0, 1]")
        }
        for (n, v) in [("exploration_initial_eps", explorationInitialEps), ("exploration_final_eps", explorationFinalEps)]
            where !(v >= 0 && v <= 1) { throw bad(n, v, "a number in [0, 1]") }
        if !(maxGradNorm > 0) { throw bad("max_grad_norm", maxGradNorm, "a number > 0") }
        if netArch.contains(where: { $0 < 1 }) { throw bad("net_arch", netArch, "layer widths >= 1") }
    }
}
