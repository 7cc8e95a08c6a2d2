import Dispatch

/// `count` copies of an environment stepped together, as Gymnasium's `SyncVectorEnv` with
/// `RecordEpisodeStatistics`; with `threads > 1` the environments are split into `threads` contiguous groups that
/// step in parallel, giving the same results as one thread (each environment owns its random stream).
///
/// Every step checks what the environments return: an action outside the action space, a step after an episode
/// ended (`disabled` mode), a non-finite reward or an observation of the wrong length throws `EnvironmentError`
/// naming the environment's id, its index and the step. `reset` cannot throw: an observation of the wrong length
/// there (or environments whose spaces differ) leaves zeros in its row and the next `step` throws the error.
///
/// ```swift
/// let envs = try VectorEnvironment(count: 8) { _ in try Environments.make("CartPole-v1") }
/// let obs = envs.reset(seed: 42)                       // [8 × 4]; environment i seeded 42 + i
/// let out = try envs.step(Array(repeating: .discrete(1), count: 8))
/// ```
public final class VectorEnvironment {
    public let count: Int
    public let threads: Int
    public let autoreset: AutoresetMode
    public let observationSpace: Space
    public let actionSpace: Space
    /// `observationSpace.flatDimension`: the row length of `observations`.
    public let observationDimension: Int

    /// Stable-Baselines3's `VecNormalize` applied inside: when set, `reset(seed:)` and `step` return normalized
    /// observations (final ones too) and rewards and, while its `training` is on, update its statistics (see
    /// ``VectorNormalization``). A masked reset normalizes without updating. The environments' own state (and
    /// `episodes`' returns) stay raw. Do not also wrap the environment in ``VectorNormalize``.
    public var normalization: VectorNormalization? {
        didSet {
            guard let n = normalization else { return }
            precondition(n.returns.count == count && n.observationStatistics.mean.count == observationDimension,
                         "VectorEnvironment.normalization: made for \(n.returns.count) environments of "
                         + "\(n.observationStatistics.mean.count) values, this one has \(count) of \(observationDimension)")
        }
    }

    let slots: [EnvironmentSlot]
    var hasReset = false
    var lastObservations: [Float]
    /// A problem found at init (bad count, malformed or mismatched spaces): every step throws it.
    var pendingError: EnvironmentError?
    /// A wrong-sized observation at the latest reset: the next step throws it; a clean full reset clears it.
    var resetError: EnvironmentError?

    /// - Parameters:
    ///   - count: the number of environments (at least 1; a smaller count makes one and the first step throws).
    ///   - threads: how many groups step in parallel (clamped to `1...count`).
    ///   - autoreset: how an ended environment restarts.
    ///   - make: builds environment `i`.
    public init(count: Int, threads: Int = 1, autoreset: AutoresetMode = .nextStep,
                make: (Int) throws -> any Environment) rethrows {
        let n = max(count, 1)
        var slots: [EnvironmentSlot] = []
        slots.reserveCapacity(n)
        for i in 0..<n { slots.append(EnvironmentSlot(try make(i), index: i)) }
        self.slots = slots
        self.count = n
        self.threads = min(max(threads, 1), n)
        self.autoreset = autoreset
        observationSpace = slots[0].environment.observationSpace
        actionSpace = slots[0].environment.actionSpace
        observationDimension = observationSpace.flatDimension
        lastObservations = Array(repeating: 0, count: n * observationDimension)
        if count < 1 {
            pendingError = .invalidArgument(name: "count", value: "\(count)", expected: "at least 1")
        }
        for (name, space) in [("observation", observationSpace), ("action", actionSpace)] where pendingError == nil {
            if let problem = space.problem {
                pendingError = .invalidArgument(name: "\(slots[0].id) \(name) space", value: "\(space)",
                                                expected: "a well-formed space (\(problem))")
            }
        }
        for slot in slots.dropFirst() where pendingError == nil {
            let env = slot.environment
            if env.observationSpace != observationSpace {
                pendingError = .spaceMismatch(environment: slot.id, index: slot.index, expected: observationSpace,
                                              got: env.observationSpace)
            } else if env.actionSpace != actionSpace {
                pendingError = .spaceMismatch(environment: slot.id, index: slot.index, expected: actionSpace,
                                              got: env.actionSpace)
            }
        }
    }

    /// Resets every environment; environment `i` gets seed `seed + i` (Gymnasium's rule), or continues its own
    /// stream when `seed` is nil. Returns the observations, `[count × observationDimension]` row-major.
    @discardableResult
    public func reset(seed: UInt64?) -> [Float] {
        let observations = resetEnvironments(seed: seed, mask: nil)
        return normalization?.reset(observations) ?? observations
    }

    /// Resets the environments where `mask` is true (Gymnasium's `options={"reset_mask": mask}`), for `disabled`
    /// mode; the other rows keep their last observation. Environment `i` gets seed `seed + i`.
    @discardableResult
    public func reset(seed: UInt64?, mask: [Bool]) throws -> [Float] {
        guard mask.count == count, mask.contains(true) else {
            throw EnvironmentError.invalidArgument(name: "mask", value: "\(mask)",
                                                   expected: "\(count) flags with at least one true")
        }
        let observations = resetEnvironments(seed: seed, mask: mask)
        if let error = pendingError ?? resetError { throw error }
        return normalization?.normalize(observations: observations) ?? observations
    }

    private func resetEnvironments(seed: UInt64?, mask: [Bool]?) -> [Float] {
        hasReset = true
        if mask == nil { resetError = nil }
        for slot in slots where mask?[slot.index] ?? true {
            let observation = slot.reset(seed: seed.map { $0 &+ UInt64(slot.index) })
            if observation.count != observationDimension, resetError == nil {
                resetError = .observationShape(environment: slot.id, index: slot.index, step: -1,
                                                 expected: observationDimension, got: observation.count)
            }
            write(observation, row: slot.index, into: &lastObservations)
        }
        return lastObservations
    }

    /// Steps every environment with its action (`actions.count == count`) and returns the batched result. An action
    /// outside the action space, or a step of an ended environment in `disabled` mode, throws before any environment
    /// moves. When environments throw while stepping (a non-finite reward, a wrong-sized observation, their own
    /// errors), the error of the lowest index is thrown (the same one on any number of threads); the others have
    /// stepped.
    public func step(_ actions: [Action]) throws -> VectorStep {
        if let error = pendingError ?? resetError { throw error }
        guard actions.count == count else { throw EnvironmentError.actionCount(expected: count, got: actions.count) }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: slots[0].id) }
        let (mode, space, dimension) = (autoreset, actionSpace, observationDimension)
        // Input errors stop the step before any environment moves.
        for slot in slots {
            let resetsNow = slot.needsReset && mode == .nextStep
            if slot.needsReset && !resetsNow {
                throw EnvironmentError.stepAfterEnd(environment: slot.id, step: slot.episodeSteps)
            }
            if !resetsNow && !space.accepts(actions[slot.index]) {
                throw EnvironmentError.actionOutsideSpace(environment: slot.id, step: slot.episodeSteps,
                                                          action: actions[slot.index], space: space)
            }
        }
        if threads == 1 {
            for slot in slots { slot.step(actions[slot.index], mode: mode, actionSpace: space, dimension: dimension) }
        } else {
            let groups = threads, n = count, slots = self.slots
            DispatchQueue.concurrentPerform(iterations: groups) { g in
                for i in (g * n / groups)..<((g + 1) * n / groups) {
                    slots[i].step(actions[i], mode: mode, actionSpace: space, dimension: dimension)
                }
            }
        }
        if let error = slots.lazy.compactMap(\.error).first { throw error }
        var out = VectorStep(observations: lastObservations, rewards: Array(repeating: 0, count: count),
                             terminated: Array(repeating: false, count: count),
                             truncated: Array(repeating: false, count: count))
        for slot in slots {
            let i = slot.index
            write(slot.observation, row: i, into: &out.observations)
            slot.observation = []  // drops the environment's buffer, so its next step writes in place
            out.rewards[i] = slot.reward
            out.terminated[i] = slot.terminated
            out.truncated[i] = slot.truncated
            if let final = slot.finalObservation { out.finalObservations[i] = final }
            if let episode = slot.episode { out.episodes[i] = episode }
        }
        lastObservations = out.observations
        return normalization?.step(out) ?? out
    }

    func write(_ observation: [Double], row: Int, into buffer: inout [Float]) {
        let base = row * observationDimension
        for j in 0..<observationDimension { buffer[base + j] = j < observation.count ? Float(observation[j]) : 0 }
    }
}
