import Foundation
import TrainKit

/// `env.normalize`: Stable-Baselines3's `VecNormalize` on the training environments, with its parameter names.
///
/// ```yaml
/// env:
///   id: MountainCarContinuous-v0
///   normalize: true            # norm_obs and norm_reward with SB3's defaults (gamma: the agent's, as the RL-Zoo)
///   # or: normalize: {norm_obs: true, norm_reward: false, clip_obs: 10, clip_reward: 10, gamma: 0.99, epsilon: 1e-8}
/// ```
///
/// The statistics are part of the run: the checkpoint holds them (a resumed run continues them exactly) and
/// `model/vec_normalize.safetensors` holds them for `trainkit rl evaluate`, which normalizes the evaluation
/// episodes' observations with them, frozen (as the evaluations during training do with the current ones).
struct RLNormalizeSettings: Sendable, Equatable {
    var normObs = true
    var normReward = true
    var clipObs = 10.0
    var clipReward = 10.0
    /// nil: the agent's `gamma` (the RL-Zoo passes it on), else SB3's 0.99.
    var gamma: Double?
    var epsilon = 1e-8

    /// `normalize: true | false | {…}`; false (or null) is nil.
    static func read(_ env: inout RLConfigReader) throws -> RLNormalizeSettings? {
        guard let node = env.raw("normalize") else { return nil }
        if case .bool(let on) = node.value { return on ? RLNormalizeSettings() : nil }
        guard node.entries != nil else {
            throw ConfigError.wrongType(path: "env.normalize", expected: "true, false or a mapping of VecNormalize's parameters",
                                        got: node.describe, location: node.location)
        }
        var r = try RLConfigReader(node, path: "env.normalize")
        var s = RLNormalizeSettings()
        if let v = try r.bool("norm_obs") { s.normObs = v }
        if let v = try r.bool("norm_reward") { s.normReward = v }
        func positive(_ key: String) throws -> Double? {
            guard let v = try r.double(key) else { return nil }
            guard v > 0 else {
                throw ConfigError.invalidValue(path: "env.normalize.\(key)", reason: "must be > 0, got \(v)",
                                               location: node[key]?.location)
            }
            return v
        }
        if let v = try positive("clip_obs") { s.clipObs = v }
        if let v = try positive("clip_reward") { s.clipReward = v }
        if let v = try positive("epsilon") { s.epsilon = v }
        if let v = try r.double("gamma") {
            guard v >= 0 && v <= 1 else {
                throw ConfigError.invalidValue(path: "env.normalize.gamma", reason: "must be in [0, 1], got \(v)",
                                               location: node["gamma"]?.location)
            }
            s.gamma = v
        }
        try r.finish()
        return s
    }

    /// The normalization for `environment`, γ defaulting to `agentGamma`.
    func make(for environment: VectorEnvironment, agentGamma: Double) throws -> VectorNormalization {
        try VectorNormalization(observationDimension: environment.observationDimension, count: environment.count,
                                normalizeObservations: normObs, normalizeRewards: normReward, clipObservation: clipObs,
                                clipReward: clipReward, gamma: gamma ?? agentGamma, epsilon: epsilon)
    }
}

/// The statistics of a ``VectorNormalization`` as float64 tensors (SB3's `obs_rms` and `ret_rms`: `mean`, `var`,
/// `count`, and `returns`), under a key prefix: in the checkpoint (`vec_normalize.`) and in
/// `model/vec_normalize.safetensors` (no prefix).
enum RLNormalizeState {
    static let file = "model/vec_normalize.safetensors"

    static func tensors(_ n: VectorNormalization, prefix: String = "") -> [String: Tensor] {
        func t(_ values: [Double]) -> Tensor { Tensor(values, shape: [values.count]) }
        let o = n.observationStatistics, r = n.returnStatistics
        return ["\(prefix)obs_rms.mean": t(o.mean), "\(prefix)obs_rms.var": t(o.variance), "\(prefix)obs_rms.count": t([o.count]),
                "\(prefix)ret_rms.mean": t(r.mean), "\(prefix)ret_rms.var": t(r.variance), "\(prefix)ret_rms.count": t([r.count]),
                "\(prefix)returns": t(n.returns)]
    }

    /// Puts the statistics saved by `tensors(_:prefix:)` into `n`; a missing or mis-sized tensor is
    /// ``AgentError/badState(_:)`` naming `source`.
    static func restore(_ n: inout VectorNormalization, from tensors: [String: Tensor], prefix: String = "",
                        source: String) throws {
        func values(_ key: String, _ count: Int) throws -> [Double] {
            guard let t = tensors[prefix + key], t.count == count else {
                throw AgentError.badState("\(source): the observation normalization's '\(prefix + key)' is missing or has the wrong size (expected \(count) values)")
            }
            return t.to(.float64).toArray(as: Double.self)
        }
        let d = n.observationStatistics.mean.count
        n.observationStatistics.mean = try values("obs_rms.mean", d)
        n.observationStatistics.variance = try values("obs_rms.var", d)
        n.observationStatistics.count = try values("obs_rms.count", 1)[0]
        n.returnStatistics.mean = try values("ret_rms.mean", 1)
        n.returnStatistics.variance = try values("ret_rms.var", 1)
        n.returnStatistics.count = try values("ret_rms.count", 1)[0]
        n.returns = try values("returns", n.returns.count)
    }
}
