/// The registry of built-in environments under their Gymnasium ids.
///
/// `make(id)` builds the environment with Gymnasium's `TimeLimit` applied (the registered `maxEpisodeSteps`), as
/// `gymnasium.make` does. Seeded resets are reproducible in TrainKit (same seed, same start) but do not start where
/// Gymnasium's do: TrainKit does not reproduce NumPy's random generator. The dynamics match Gymnasium's step for step
/// from the same state (`StatefulEnvironment.reset(state:)`).
public enum Environments {
    struct Entry: Sendable {
        let spec: EnvironmentSpec
        /// Builds the environment under a time limit (none when nil).
        let make: @Sendable (Int?) throws -> any StatefulEnvironment
    }

    /// `base` under `TimeLimit(limit)`, or bare when `limit` is nil.
    static func limited<E: StatefulEnvironment>(_ base: E, _ limit: Int?) throws -> any StatefulEnvironment {
        guard let limit else { return base }
        return try TimeLimit(base, maxEpisodeSteps: limit)
    }

    static let entries: [String: Entry] = {
        var table: [String: Entry] = [:]
        func register(_ id: String, _ steps: Int?, _ threshold: Double?,
                      _ make: @escaping @Sendable (Int?) throws -> any StatefulEnvironment) {
            table[id] = Entry(spec: EnvironmentSpec(id: id, maxEpisodeSteps: steps, rewardThreshold: threshold),
                              make: make)
        }
        register("CartPole-v1", 500, 475) { try limited(CartPole(), $0) }
        return table
    }()

    /// The registered ids, sorted.
    public static var ids: [String] { entries.keys.sorted() }

    /// Builds environment `id` with its registered time limit. Throws `EnvironmentError.unknownEnvironment`
    /// (listing the known ids) for an id that is not registered.
    public static func make(_ id: String) throws -> any Environment { try makeStateful(id) }

    /// Builds environment `id` under a time limit of `maxEpisodeSteps` instead of the registered one
    /// (`gymnasium.make(id, max_episode_steps=...)`); nil leaves the episodes unlimited.
    public static func make(_ id: String, maxEpisodeSteps: Int?) throws -> any Environment {
        try makeStateful(id, maxEpisodeSteps: maxEpisodeSteps)
    }

    /// `make(id)` typed as a `StatefulEnvironment`, so its state can be set (every built-in environment has one).
    public static func makeStateful(_ id: String) throws -> any StatefulEnvironment {
        try makeStateful(id, maxEpisodeSteps: try spec(id).maxEpisodeSteps)
    }

    /// `make(id, maxEpisodeSteps:)` typed as a `StatefulEnvironment`.
    public static func makeStateful(_ id: String, maxEpisodeSteps: Int?) throws -> any StatefulEnvironment {
        guard let entry = entries[id] else { throw EnvironmentError.unknownEnvironment(id: id, known: ids) }
        return try entry.make(maxEpisodeSteps)
    }

    /// The registered metadata of `id`: episode limit and solved threshold.
    public static func spec(_ id: String) throws -> EnvironmentSpec {
        guard let entry = entries[id] else { throw EnvironmentError.unknownEnvironment(id: id, known: ids) }
        return entry.spec
    }
}
