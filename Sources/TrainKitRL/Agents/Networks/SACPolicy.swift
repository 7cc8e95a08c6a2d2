import TrainKitCore
import TrainKitNN

/// SB3's `SACPolicy` for a flat box observation: the actor, two Q critics and their target copies, with SB3's
/// parameter names (`actor.latent_pi.0.weight`, `actor.mu.weight`, `actor.log_std.weight`,
/// `critic.qf0.0.weight`, `critic_target.qf1.4.bias`, …), so `stateDict()` has the keys of
/// `model.policy.state_dict()`. Every layer starts from PyTorch's default `Linear` initialisation (SB3's SAC
/// does not use orthogonal initialisation); the target critic starts as a copy of the critic.
public final class SACPolicy: Module {
    public let moduleState = ModuleState()
    public let actor: Actor
    public let critic: Critic
    public let criticTarget: Critic

    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("actor", .module(actor)), ("critic", .module(critic)), ("critic_target", .module(criticTarget)))
        }
    }

    public init(observationDimension: Int, actionDimension: Int, netArch: [Int], activation: Activation, key: RandomKey) {
        let keys = key.split(2)
        actor = Actor(observationDimension: observationDimension, actionDimension: actionDimension, netArch: netArch,
                      activation: activation, key: keys[0])
        critic = Critic(observationDimension: observationDimension, actionDimension: actionDimension, netArch: netArch,
                        activation: activation, key: keys[1])
        criticTarget = Critic(observationDimension: observationDimension, actionDimension: actionDimension,
                              netArch: netArch, activation: activation, key: keys[1])
    }

    /// SAC's actor: `latent_pi` (MLP), `mu` and `log_std` heads.
    /// Shapes: `[B, obs] → ([B, d] means, [B, d] log σ clamped to [−20, 2])` (SB3's `LOG_STD_MIN`, `LOG_STD_MAX`).
    public final class Actor: Module {
        public let moduleState = ModuleState()
        let latentPi: Sequential
        let mu: Linear, logStd: Linear

        public var ownEntries: [(name: String, entry: ModuleEntry)] {
            moduleState.entries {
                declaredEntries(("latent_pi", .module(latentPi)), ("mu", .module(mu)), ("log_std", .module(logStd)))
            }
        }

        init(observationDimension: Int, actionDimension: Int, netArch: [Int], activation: Activation, key: RandomKey) {
            let keys = key.split(3)
            latentPi = MLPNetwork.make(inputs: observationDimension, hidden: netArch, activation: activation, gain: nil,
                                       key: keys[0])
            let width = netArch.last ?? observationDimension
            mu = Linear(width, actionDimension, key: keys[1])
            logStd = Linear(width, actionDimension, key: keys[2])
        }

        public func callAsFunction(_ observations: Tensor) -> (means: Tensor, logStd: Tensor) {
            let latent = latentPi(observations)
            return (mu(latent), logStd(latent).clamp(min: -20, max: 2))
        }
    }

    /// SB3's `ContinuousCritic` with two Q-networks `qf0`, `qf1`: `[B, obs] ⊕ [B, act] → [B]` each.
    public final class Critic: Module {
        public let moduleState = ModuleState()
        let qf0: Sequential, qf1: Sequential

        public var ownEntries: [(name: String, entry: ModuleEntry)] {
            moduleState.entries { declaredEntries(("qf0", .module(qf0)), ("qf1", .module(qf1))) }
        }

        init(observationDimension: Int, actionDimension: Int, netArch: [Int], activation: Activation, key: RandomKey) {
            let keys = key.split(2)
            qf0 = MLPNetwork.make(inputs: observationDimension + actionDimension, hidden: netArch, outputs: 1,
                                  activation: activation, gain: nil, key: keys[0])
            qf1 = MLPNetwork.make(inputs: observationDimension + actionDimension, hidden: netArch, outputs: 1,
                                  activation: activation, gain: nil, key: keys[1])
        }

        /// Both critics' values `[B]` for observations `[B, obs]` and actions `[B, act]` (scaled to `[−1, 1]`).
        public func callAsFunction(_ observations: Tensor, _ actions: Tensor) -> (Tensor, Tensor) {
            let x = Tensor.cat([observations, actions], dim: 1)
            let b = observations.shape[0]
            return (qf0(x).reshape([b]), qf1(x).reshape([b]))
        }
    }
}
