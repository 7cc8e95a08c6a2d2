/// The registry of built-in environments under their Gymnasium ids.
///
/// `make(id)` builds the environment with Gymnasium's `TimeLimit` applied (the registered `maxEpisodeSteps`), as
/// `gymnasium.make` does. Seeded resets are reproducible in TrainKit (same seed, same start) but do not start where
/// Gymnasium's do: TrainKit does not reproduce NumPy's random generator. The dynamics match Gymnasium's step for step
/// from the same state (`StatefulEnvironment.reset(state:)`).
public enum Environments {
    struct Entry: Sendable {
        let spec: EnvironmentSpec
        /// Builds the environment under a time limit (none when nil) with keyword options.
        let make: @Sendable (Int?, inout EnvironmentOptions) throws -> any StatefulEnvironment
    }

    /// `base` under `TimeLimit(limit)`, or bare when `limit` is nil.
    static func limited<E: StatefulEnvironment>(_ base: E, _ limit: Int?) throws -> any StatefulEnvironment {
        guard let limit else { return base }
        return try TimeLimit(base, maxEpisodeSteps: limit)
    }

    static let entries: [String: Entry] = {
        var table: [String: Entry] = [:]
        func register(_ id: String, _ steps: Int?, _ threshold: Double?,
                      _ make: @escaping @Sendable (Int?, inout EnvironmentOptions) throws -> any StatefulEnvironment) {
            table[id] = Entry(spec: EnvironmentSpec(id: id, maxEpisodeSteps: steps, rewardThreshold: threshold),
                              make: make)
        }
        register("CartPole-v1", 500, 475) { limit, o in
            try limited(CartPole(suttonBartoReward: try o.bool("sutton_barto_reward", false)), limit)
        }
        register("Acrobot-v1", 500, -100) { limit, o in
            let dynamics = try o.choice("book_or_nips", "book", ["book", "nips"])
            return try limited(Acrobot(dynamics: dynamics == "nips" ? .nips : .book), limit)
        }
        register("MountainCar-v0", 200, -110) { limit, o in
            try limited(MountainCar(goalVelocity: try o.double("goal_velocity", 0)), limit)
        }
        register("MountainCarContinuous-v0", 999, 90) { limit, o in
            try limited(MountainCarContinuous(goalVelocity: try o.double("goal_velocity", 0)), limit)
        }
        register("Pendulum-v1", 200, nil) { limit, o in try limited(Pendulum(g: try o.double("g", 10)), limit) }
        let lakes = [("FrozenLake-v1", "4x4", 100, 0.70), ("FrozenLake8x8-v1", "8x8", 200, 0.85)]
        for (id, name, steps, threshold) in lakes {
            register(id, steps, threshold) { limit, o in
                let lake = try FrozenLake(mapName: try o.choice("map_name", name, ["4x4", "8x8"]),
                                          isSlippery: try o.bool("is_slippery", true),
                                          successRate: try o.double("success_rate", 1.0 / 3.0))
                return try limited(lake, limit)
            }
        }
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

    /// Builds environment `id` with keyword options (Gymnasium's names, see `EnvironmentOptions`), such as
    /// `["is_slippery": "false"]` for FrozenLake, under its registered time limit.
    public static func make(_ id: String, options: [String: String]) throws -> any Environment {
        try makeStateful(id, maxEpisodeSteps: try spec(id).maxEpisodeSteps, options: options)
    }

    /// `make(id, maxEpisodeSteps:)` with keyword options, typed as a `StatefulEnvironment`.
    public static func makeStateful(_ id: String, maxEpisodeSteps: Int?, options: [String: String] = [:]) throws
        -> any StatefulEnvironment
    {
        guard let entry = entries[id] else { throw EnvironmentError.unknownEnvironment(id: id, known: ids) }
        var parsed = EnvironmentOptions(id: id, values: options)
        let env = try entry.make(maxEpisodeSteps, &parsed)
        try parsed.finish()
        return env
    }

    /// The registered metadata of `id`: episode limit and solved threshold.
    public static func spec(_ id: String) throws -> EnvironmentSpec {
        guard let entry = entries[id] else { throw EnvironmentError.unknownEnvironment(id: id, known: ids) }
        return entry.spec
    }
}
