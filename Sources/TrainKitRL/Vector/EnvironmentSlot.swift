/// One environment of a `VectorEnvironment` with its bookkeeping and the outputs of its latest step.
///
/// Each slot is touched by one thread at a time (its group's), so slots need no locks; the vector environment
/// gathers their outputs after every group has finished.
final class EnvironmentSlot: @unchecked Sendable {
    var environment: any Environment
    let id: String
    let index: Int
    /// `nextStep`: the next step resets; `disabled`: the episode ended and waits for `reset(seed:mask:)`.
    var needsReset = false
    var episodeSteps = 0
    var episodeReturn = 0.0

    // Outputs of the latest step.
    var observation: [Double] = []
    var reward = 0.0
    var terminated = false
    var truncated = false
    var finalObservation: [Double]?
    var episode: (return: Double, length: Int)?
    var error: (any Error)?

    init(_ environment: any Environment, index: Int) {
        self.environment = environment
        self.id = environment.id
        self.index = index
    }

    /// Resets the environment (seeded with `seed` when given) and the episode statistics.
    func reset(seed: UInt64?) -> [Double] {
        needsReset = false
        episodeSteps = 0
        episodeReturn = 0
        return environment.reset(seed: seed).observation
    }

    /// Runs one vector step for this environment under `mode`; fills the outputs, or `error`.
    func step(_ action: Action, mode: AutoresetMode, actionSpace: Space, dimension: Int) {
        finalObservation = nil
        episode = nil
        error = nil
        do {
            if needsReset && mode == .nextStep {
                observation = reset(seed: nil)
                try checkShape(observation, dimension: dimension, step: -1)
                (reward, terminated, truncated) = (0, false, false)
                return
            }
            if needsReset { throw EnvironmentError.stepAfterEnd(environment: id, step: episodeSteps) }
            guard actionSpace.accepts(action) else {
                throw EnvironmentError.actionOutsideSpace(environment: id, step: episodeSteps, action: action,
                                                          space: actionSpace)
            }
            let result = try environment.step(action)
            guard result.reward.isFinite else {
                throw EnvironmentError.nonFiniteReward(environment: id, step: episodeSteps, value: result.reward)
            }
            try checkShape(result.observation, dimension: dimension, step: episodeSteps)
            episodeSteps += 1
            episodeReturn += result.reward
            (observation, reward, terminated, truncated) =
                (result.observation, result.reward, result.terminated, result.truncated)
            guard terminated || truncated else { return }
            episode = (episodeReturn, episodeSteps)
            switch mode {
            case .nextStep, .disabled: needsReset = true
            case .sameStep:
                finalObservation = observation
                observation = reset(seed: nil)
                try checkShape(observation, dimension: dimension, step: -1)
            }
        } catch {
            self.error = error
        }
    }

    private func checkShape(_ observation: [Double], dimension: Int, step: Int) throws {
        guard observation.count == dimension else {
            throw EnvironmentError.observationShape(environment: id, index: index, step: step, expected: dimension,
                                                    got: observation.count)
        }
    }
}
