import TrainKitCore

/// Chooses the parameters of the next trial.
///
/// A sampler is a pure function of its settings, the trial number and the trials so far, so a study run
/// one trial at a time with the same seed proposes the same sequence. (With `parallel > 1` the trials a
/// model-based sampler sees depend on timing; grid and random search stay a function of the trial number.)
public protocol Sampler: Sendable {
    /// Parameters for trial `trialNumber` (every path of `space`), or nil when the sampler has nothing left
    /// to propose (a finished grid): the study then stops starting trials.
    /// - Parameter trials: every trial so far, running ones included, in number order.
    func sample(space: SearchSpace, trialNumber: Int, trials: [TrialRecord], direction: SearchDirection)
        -> [String: ParameterValue]?
}

/// The samplers by name, for command lines and configs (`--sampler grid|random|tpe`).
public enum SamplerKind: String, Codable, Sendable, CaseIterable {
    case grid, random, tpe

    /// A sampler with default settings and `seed`.
    public func make(seed: UInt64) -> any Sampler {
        switch self {
        case .grid: return GridSampler()
        case .random: return RandomSampler(seed: seed)
        case .tpe: return TPESampler(seed: seed)
        }
    }
}

/// A per-trial generator: the stream of `RandomKey(seed)` mixed with the trial number, so trial `n`'s draws do
/// not depend on how many draws earlier trials made.
func trialGenerator(seed: UInt64, trial: Int, salt: UInt64) -> KeyedGenerator {
    KeyedGenerator(RandomKey(seed: mixSeed(mixSeed(seed, salt), UInt64(trial))))
}

/// SplitMix64-style mixing of two words (for per-trial and per-fold seeds).
func mixSeed(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var z = a &+ 0x9E37_79B9_7F4A_7C15 &* (b &+ 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
