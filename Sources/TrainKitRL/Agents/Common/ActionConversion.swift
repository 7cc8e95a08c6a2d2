/// Converting between the environment's `Action` values and the flat float rows the networks and buffers use.
enum ActionConversion {
    /// The number of floats one action takes in a buffer row: 1 for discrete, `d` for a `d`-dimensional box.
    static func dimension(of space: Space) -> Int {
        switch space {
        case .discrete: return 1
        case .box(let low, _): return low.count
        }
    }

    /// The action the environment receives for a box action: clipped to `[low, high]` (SB3 clips PPO's sampled
    /// actions before stepping and stores the unclipped one).
    static func clipped(_ values: [Double], to space: Space) -> Action {
        guard case .box(let low, let high) = space else { return .continuous(values) }
        return .continuous(values.indices.map { Swift.min(Swift.max(values[$0], low[$0]), high[$0]) })
    }

    /// Checks that an observation space is a flat box, the only input the MLP policies take.
    static func observationDimension(_ space: Space, agent: String) throws -> Int {
        guard case .box(let low, _) = space, !low.isEmpty else {
            throw AgentError.unsupportedSpace(agent: agent, space: "\(space)",
                                              reason: "observations must be a non-empty box (a flat float vector)")
        }
        return low.count
    }
}
