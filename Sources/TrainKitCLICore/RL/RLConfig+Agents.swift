import Foundation
import TrainKit

extension RLConfig {
    /// SAC's keys (SB3's names); `ent_coef` is `auto`, `auto_X` (learned, starting at X) or a number (fixed).
    static func readSAC(_ r: inout RLConfigReader) throws -> SACConfiguration {
        var c = SACConfiguration()
        if let v = try r.schedule("learning_rate") { c.learningRate = v }
        if let v = try r.int("buffer_size", min: 1) { c.bufferSize = v }
        if let v = try r.int("learning_starts", min: 0) { c.learningStarts = v }
        if let v = try r.int("batch_size", min: 1) { c.batchSize = v }
        if let v = try r.double("tau") { c.tau = v }
        if let v = try r.double("gamma") { c.gamma = v }
        if let v = try r.int("train_freq", min: 1) { c.trainFreq = v }
        if let v = try r.int("gradient_steps", min: -1) { c.gradientSteps = v }
        if let v = try r.int("target_update_interval", min: 1) { c.targetUpdateInterval = v }
        if let node = r.raw("ent_coef") {
            switch node.value {
            case .int(let i) where i >= 0: c.entCoef = .fixed(Double(i))
            case .double(let d) where d >= 0 && d.isFinite: c.entCoef = .fixed(d)
            case .string("auto"): c.entCoef = .auto(initial: 1)
            case .string(let s) where s.hasPrefix("auto_") && (Double(s.dropFirst(5)).map { $0 > 0 && $0.isFinite } ?? false):
                c.entCoef = .auto(initial: Double(s.dropFirst(5))!)
            default:
                throw ConfigError.wrongType(path: r.keyPath("ent_coef"), expected: "auto, auto_<number > 0> or a number >= 0",
                                            got: node.describe, location: node.location)
            }
        }
        if let node = r.raw("target_entropy") {
            switch node.value {
            case .string("auto"): c.targetEntropy = nil
            case .int(let i): c.targetEntropy = Double(i)
            case .double(let d) where d.isFinite: c.targetEntropy = d
            default:
                throw ConfigError.wrongType(path: r.keyPath("target_entropy"), expected: "auto or a number",
                                            got: node.describe, location: node.location)
            }
        }
        var kwargs = try RLConfigReader(r.raw("policy_kwargs"), path: "agent.policy_kwargs")
        if let v = try kwargs.widths("net_arch") { c.netArch = v }
        if let v = try kwargs.string("activation_fn", choices: Activation.allCases.map(\.rawValue)) {
            c.activation = Activation(rawValue: v)!
        }
        try kwargs.finish()
        return c
    }

    /// A2C's keys (SB3's names).
    static func readA2C(_ r: inout RLConfigReader) throws -> A2CConfiguration {
        var c = A2CConfiguration()
        if let v = try r.schedule("learning_rate") { c.learningRate = v }
        if let v = try r.int("n_steps", min: 1) { c.nSteps = v }
        if let v = try r.double("gamma") { c.gamma = v }
        if let v = try r.double("gae_lambda") { c.gaeLambda = v }
        if let v = try r.double("ent_coef") { c.entCoef = v }
        if let v = try r.double("vf_coef") { c.vfCoef = v }
        if let v = try r.double("max_grad_norm") { c.maxGradNorm = v }
        if let v = try r.double("rms_prop_eps") { c.rmsPropEps = v }
        if let v = try r.bool("use_rms_prop") { c.useRMSProp = v }
        if let v = try r.bool("normalize_advantage") { c.normalizeAdvantage = v }
        let k = try readPolicyKwargs(&r)
        if let v = k.pi { c.policyLayers = v }
        if let v = k.vf { c.valueLayers = v }
        if let v = k.activation { c.activation = v }
        if let v = k.ortho { c.orthoInit = v }
        if let v = k.logStd { c.logStdInit = v }
        return c
    }
}
