import TrainKitCore

/// Random search (Bergstra & Bengio, "Random Search for Hyper-Parameter Optimization", JMLR 2012): every
/// parameter drawn independently from its distribution (``Distribution/sample(using:)``).
///
/// Trial `n`'s parameters are a pure function of `(seed, n)`: the same seed gives the same sequence however
/// the trials are spread over threads and processes.
public struct RandomSampler: Sampler {
    /// With the trial number, decides every draw.
    public var seed: UInt64

    public init(seed: UInt64 = 0) { self.seed = seed }

    public func sample(space: SearchSpace, trialNumber: Int, trials: [TrialRecord], direction: SearchDirection)
        -> [String: ParameterValue]?
    {
        var generator = trialGenerator(seed: seed, trial: trialNumber, salt: 0x5241_4E44)
        var params: [String: ParameterValue] = [:]
        for (path, distribution) in space.dimensions { params[path] = distribution.sample(using: &generator) }
        return params
    }
}
