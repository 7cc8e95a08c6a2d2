/// SAC's hyperparameters, with Stable-Baselines3's names in the comments and its defaults.
public struct SACConfiguration: Sendable, Equatable {
    /// SB3's `ent_coef`: the entropy coefficient α, learned (`auto`, `auto_0.1`: starting at 0.1) or fixed.
    public enum EntropyCoefficient: Sendable, Equatable {
        /// α = exp(log α), log α trained toward the target entropy; starts at `initial` (SB3: 1).
        case auto(initial: Double)
        case fixed(Double)
    }

    /// `learning_rate` (Adam with PyTorch's defaults, for the actor, the critics and log α), a schedule over
    /// progress remaining.
    public var learningRate: Schedule = .constant(3e-4)
    /// `buffer_size`: replay capacity in transitions.
    public var bufferSize = 1_000_000
    /// `learning_starts`: steps of uniformly random actions before the first update.
    public var learningStarts = 100
    /// `batch_size`: transitions per gradient step.
    public var batchSize = 256
    /// `tau`: Polyak coefficient of the target critics, `θ′ ← τθ + (1 − τ)θ′`.
    public var tau = 0.005
    /// `gamma`: discount.
    public var gamma = 0.99
    /// `train_freq`: environment steps (per environment) between training rounds.
    public var trainFreq = 1
    /// `gradient_steps`: gradient steps per round (-1: as many as steps collected).
    public var gradientSteps = 1
    /// `ent_coef`.
    public var entCoef = EntropyCoefficient.auto(initial: 1)
    /// `target_entropy`: nil is SB3's `auto`, `−dim(A)`.
    public var targetEntropy: Double? = nil
    /// `target_update_interval`: gradient steps (within a round, as SB3) between target updates.
    public var targetUpdateInterval = 1
    /// `policy_kwargs.net_arch` (the actor's and each critic's hidden layers) and `activation_fn`.
    public var netArch = [256, 256]
    public var activation = Activation.relu

    public init() {}

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
        switch entCoef {
        case .auto(let v) where !(v > 0 && v.isFinite): throw bad("ent_coef", "auto_\(v)", "auto, auto_X with X > 0, or a number >= 0")
        case .fixed(let v) where !(v >= 0 && v.isFinite): throw bad("ent_coef", v, "auto, auto_X with X > 0, or a number >= 0")
        default: break
        }
        if let t = targetEntropy, !t.isFinite { throw bad("target_entropy", t, "a finite number or auto") }
        if netArch.contains(where: { $0 < 1 }) { throw bad("net_arch", netArch, "layer widths >= 1") }
    }
}
