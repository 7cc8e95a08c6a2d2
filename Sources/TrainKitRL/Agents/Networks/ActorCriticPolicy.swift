import Foundation
import TrainKitCore
import TrainKitNN

/// SB3's `ActorCriticPolicy` for a flat box observation: separate policy and value MLPs (`net_arch =
/// dict(pi: [64, 64], vf: [64, 64])`), an action head and a value head.
///
/// - `mlp_extractor.policy_net`: `[B, obs] → [B, pi.last]`; `mlp_extractor.value_net`: `[B, obs] → [B, vf.last]`.
/// - `action_net`: `→ [B, n]` logits (discrete) or `[B, d]` means (box); `log_std`: `[d]` (box only, starts at
///   `log_std_init`, 0 by default).
/// - `value_net`: `→ [B, 1]`, squeezed to `[B]`.
///
/// With `orthoInit` (the default, as SB3) the extractor's layers start orthogonal with gain √2, the action head
/// with gain 0.01 and the value head with gain 1; every bias starts at 0. Parameter names are SB3's, so
/// `policy.stateDict()` has the keys of `model.policy.state_dict()`.
public final class ActorCriticPolicy: Module {
    public let moduleState = ModuleState()
    let policyNet: Sequential
    let valueNetwork: Sequential
    let extractor: Extractor
    public let actionNet: Linear
    public let valueNet: Linear
    public let logStd: Parameter?
    /// How actions are distributed: a categorical over `n` actions or a diagonal Gaussian over `d` dimensions.
    public let actionKind: ActionKind

    public enum ActionKind: Sendable, Equatable {
        case categorical(Int)
        case gaussian(Int)
    }

    /// The `mlp_extractor` submodule (`policy_net`, `value_net`).
    final class Extractor: Module {
        let moduleState = ModuleState()
        let policyNet: Sequential, valueNet: Sequential
        init(policyNet: Sequential, valueNet: Sequential) { self.policyNet = policyNet; self.valueNet = valueNet }
        var ownEntries: [(name: String, entry: ModuleEntry)] {
            moduleState.entries { declaredEntries(("policy_net", .module(policyNet)), ("value_net", .module(valueNet))) }
        }
    }

    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("log_std", logStd.map(ModuleEntry.parameter)), ("mlp_extractor", .module(extractor)),
                            ("action_net", .module(actionNet)), ("value_net", .module(valueNet)))
        }
    }

    public init(observationDimension: Int, actionKind: ActionKind, policyLayers: [Int] = [64, 64],
                valueLayers: [Int] = [64, 64], activation: Activation = .tanh, orthoInit: Bool = true,
                logStdInit: Double = 0, key: RandomKey) {
        let keys = key.split(4)
        let gain: Double? = orthoInit ? 2.0.squareRoot() : nil
        policyNet = MLPNetwork.make(inputs: observationDimension, hidden: policyLayers, activation: activation,
                                    gain: gain, key: keys[0])
        valueNetwork = MLPNetwork.make(inputs: observationDimension, hidden: valueLayers, activation: activation,
                                       gain: gain, key: keys[1])
        extractor = Extractor(policyNet: policyNet, valueNet: valueNetwork)
        let latentPi = policyLayers.last ?? observationDimension, latentVf = valueLayers.last ?? observationDimension
        let outputs: Int
        switch actionKind {
        case .categorical(let n): outputs = n; logStd = nil
        case .gaussian(let d): outputs = d; logStd = Parameter(Tensor.full(logStdInit, shape: [d]))
        }
        actionNet = MLPNetwork.linear(latentPi, outputs, gain: orthoInit ? 0.01 : nil, key: keys[2])
        valueNet = MLPNetwork.linear(latentVf, 1, gain: orthoInit ? 1 : nil, key: keys[3])
        self.actionKind = actionKind
    }

    /// Action-distribution parameters `[B, n]` (logits or means) and values `[B]` for observations `[B, obs]`.
    public func callAsFunction(_ observations: Tensor) -> (distribution: Tensor, values: Tensor) {
        let distribution = actionNet(policyNet(observations))
        let values = valueNet(valueNetwork(observations)).reshape([observations.shape[0]])
        return (distribution, values)
    }

    /// Values `[B]` alone (the truncation bootstrap and the last value of a rollout).
    public func values(_ observations: Tensor) -> Tensor {
        valueNet(valueNetwork(observations)).reshape([observations.shape[0]])
    }
}
