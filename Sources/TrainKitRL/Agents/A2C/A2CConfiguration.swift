/// A2C's hyperparameters, with Stable-Baselines3's names in the comments and its defaults.
public struct A2CConfiguration: Sendable, Equatable {
    /// `learning_rate`, a schedule over progress remaining.
    public var learningRate: Schedule = .constant(7e-4)
    /// `n_steps`: steps per environment per rollout (one gradient step per rollout).
    public var nSteps = 5
    /// `gamma`: discount.
    public var gamma = 0.99
    /// `gae_lambda`: GAE's λ (1: the n-step return, classic A2C).
    public var gaeLambda = 1.0
    /// `ent_coef`: weight of the entropy bonus.
    public var entCoef = 0.0
    /// `vf_coef`: weight of the value loss.
    public var vfCoef = 0.5
    /// `max_grad_norm`: clips the global gradient norm.
    public var maxGradNorm = 0.5
    /// `use_rms_prop`: RMSprop (α 0.99, ε `rms_prop_eps`, as SB3's A2C); false: Adam (ε 1e-5, SB3's policy default).
    public var useRMSProp = true
    /// `rms_prop_eps`.
    public var rmsPropEps = 1e-5
    /// `normalize_advantage`: `(A − mean) / (std + 1e-8)` over the rollout.
    public var normalizeAdvantage = false
    /// `policy_kwargs.net_arch`: hidden layers of the policy (`pi`) and value (`vf`) networks.
    public var policyLayers = [64, 64], valueLayers = [64, 64]
    /// `policy_kwargs.activation_fn`, `ortho_init`, `log_std_init` (box actions).
    public var activation = Activation.tanh
    public var orthoInit = true
    public var logStdInit = 0.0

    public init() {}

    /// Checks every value's range; the error names the SB3 hyperparameter.
    public func validate(envs: Int) throws {
        func bad(_ name: String, _ value: Any, _ expected: String) -> AgentError {
            .invalidHyperparameter(name: name, value: "\(value)", expected: expected)
        }
        for p in [0.0, 1.0] where !(learningRate.value(progressRemaining: p) >= 0 && learningRate.value(progressRemaining: p).isFinite) {
            throw bad("learning_rate", learningRate.value(progressRemaining: p), "a finite number >= 0")
        }
        if nSteps < 1 { throw bad("n_steps", nSteps, "an integer >= 1") }
        if normalizeAdvantage && nSteps * envs < 2 {
            throw bad("n_steps", nSteps, "n_steps × n_envs >= 2 (advantages are normalised)")
        }
        if !(gamma >= 0 && gamma <= 1) { throw bad("gamma", gamma, "a number in [0, 1]") }
        if !(gaeLambda >= 0 && gaeLambda <= 1) { throw bad("gae_lambda", gaeLambda, "a number in [0, 1]") }
        if !entCoef.isFinite { throw bad("ent_coef", entCoef, "a finite number") }
        if !(vfCoef >= 0 && vfCoef.isFinite) { throw bad("vf_coef", vfCoef, "a finite number >= 0") }
        if !(maxGradNorm > 0) { throw bad("max_grad_norm", maxGradNorm, "a number > 0") }
        if !(rmsPropEps > 0 && rmsPropEps.isFinite) { throw bad("rms_prop_eps", rmsPropEps, "a number > 0") }
        if (policyLayers + valueLayers).contains(where: { $0 < 1 }) { throw bad("net_arch", policyLayers + valueLayers, "layer widths >= 1") }
    }
}
