/// PPO's hyperparameters, with Stable-Baselines3's names in the comments and its defaults.
public struct PPOConfiguration: Sendable, Equatable {
    /// `learning_rate` (Adam, eps 1e-5 as SB3's policies), a schedule over progress remaining.
    public var learningRate: Schedule = .constant(3e-4)
    /// `n_steps`: steps per environment per rollout.
    public var nSteps = 2048
    /// `batch_size`: minibatch size.
    public var batchSize = 64
    /// `n_epochs`: passes over each rollout.
    public var nEpochs = 10
    /// `gamma`: discount.
    public var gamma = 0.99
    /// `gae_lambda`: GAE's λ.
    public var gaeLambda = 0.95
    /// `clip_range`: ε of the clipped ratio `clip(r, 1 − ε, 1 + ε)`.
    public var clipRange: Schedule = .constant(0.2)
    /// `clip_range_vf`: clips the new value to `old ± ε_vf` (nil: no value clipping).
    public var clipRangeVf: Schedule? = nil
    /// `normalize_advantage`: `(A − mean) / (std + 1e-8)` per minibatch.
    public var normalizeAdvantage = true
    /// `ent_coef`: weight of the entropy bonus.
    public var entCoef = 0.0
    /// `vf_coef`: weight of the value loss.
    public var vfCoef = 0.5
    /// `max_grad_norm`: clips the global gradient norm.
    public var maxGradNorm = 0.5
    /// `target_kl`: stops the epochs of an update once the approximate KL exceeds `1.5 · target_kl`.
    public var targetKl: Double? = nil
    /// `policy_kwargs.net_arch`: hidden layers of the policy (`pi`) and value (`vf`) networks.
    public var policyLayers = [64, 64], valueLayers = [64, 64]
    /// `policy_kwargs.activation_fn`.
    public var activation = Activation.tanh
    /// `policy_kwargs.ortho_init`.
    public var orthoInit = true
    /// `policy_kwargs.log_std_init` (box actions).
    public var logStdInit = 0.0

    public init() {}

    /// Checks every value's range; the error names the SB3 hyperparameter.
    public func validate(envs: Int) throws {
        func bad(_ name: String, _ value: Any, _ expected: String) -> AgentError {
            .invalidHyperparameter(name: name, value: "\(value)", expected: expected)
        }
        if nSteps < 1 { throw bad("n_steps", nSteps, "an integer >= 1") }
        if batchSize < 1 { throw bad("batch_size", batchSize, "an integer >= 1") }
        if nSteps * envs < 2 { throw bad("n_steps", nSteps, "n_steps × n_envs >= 2 (advantages are normalised)") }
        if nEpochs < 1 { throw bad("n_epochs", nEpochs, "an integer >= 1") }
        if !(gamma >= 0 && gamma <= 1) { throw bad("gamma", gamma, "a number in [0, 1]") }
        if !(gaeLambda >= 0 && gaeLambda <= 1) { throw bad("gae_lambda", gaeLambda, "a number in [0, 1]") }
        for (name, s) in [("learning_rate", learningRate), ("clip_range", clipRange)] + (clipRangeVf.map { [("clip_range_vf", $0)] } ?? []) {
            for p in [0.0, 1.0] where !(s.value(progressRemaining: p) >= 0 && s.value(progressRemaining: p).isFinite) {
                throw bad(name, s.value(progressRemaining: p), "a finite number >= 0")
            }
        }
        if !(entCoef.isFinite) { throw bad("ent_coef", entCoef, "a finite number") }
        if !(vfCoef >= 0 && vfCoef.isFinite) { throw bad("vf_coef", vfCoef, "a finite number >= 0") }
        if !(maxGradNorm > 0) { throw bad("max_grad_norm", maxGradNorm, "a number > 0") }
        if let targetKl, !(targetKl > 0) { throw bad("target_kl", targetKl, "a number > 0") }
        if (policyLayers + valueLayers).contains(where: { $0 < 1 }) { throw bad("net_arch", policyLayers + valueLayers, "layer widths >= 1") }
    }
}
