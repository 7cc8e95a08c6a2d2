import TrainKit

/// Reinforcement-learning environment speed, beside Gymnasium's `rl_envspeed.py` (`shared/bench/peers-wave2`):
/// `env_cartpole`, `env_acrobot`, `env_mountaincar` step one environment made by `Environments.make` (with its
/// time limit, as `gym.make`) with pre-drawn random actions, resetting when an episode ends (the peer's
/// `single/predrawn`); the `_vec8` workloads step a `VectorEnvironment` of 8 with next-step autoreset (the peer's
/// `sync8/predrawn`). One bench step is 1,024 environment steps; the metric counts environment steps.
enum EnvironmentWorkloads {
    static let stepsPerCall = 1024

    static var all: [Workload] {
        [single("env_cartpole", "CartPole-v1", actions: 2), single("env_acrobot", "Acrobot-v1", actions: 3),
         single("env_mountaincar", "MountainCar-v0", actions: 3),
         vector("env_cartpole_vec8", "CartPole-v1", actions: 2), vector("env_acrobot_vec8", "Acrobot-v1", actions: 3)]
    }

    /// 65,536 pre-drawn actions in `0..<n` (seeded).
    static func predrawn(_ n: Int) -> [Action] {
        var rng = EnvironmentRandom(seed: 0)
        return (0..<(1 << 16)).map { _ in .discrete(rng.int(below: n)) }
    }

    static func single(_ name: String, _ id: String, actions n: Int) -> Workload {
        Workload(name: name, metric: .envStepsPerSecond, size: ("envs", 1), unitsPerStep: Double(stepsPerCall),
                 isTraining: false) {
            final class State: @unchecked Sendable {
                var env: any Environment
                let actions: [Action]
                var k = 0
                var episodes = 0
                init(_ env: any Environment, _ actions: [Action]) { self.env = env; self.actions = actions }
            }
            let state = State(try! Environments.make(id), predrawn(n))
            _ = state.env.reset(seed: 0)
            return WorkloadInstance(step: { _ in
                for _ in 0..<stepsPerCall {
                    let step = try! state.env.step(state.actions[state.k & 0xFFFF])
                    state.k &+= 1
                    if step.terminated || step.truncated {
                        _ = state.env.reset(seed: nil)
                        state.episodes += 1
                    }
                }
            }, extra: [("env", .string(id))])
        }
    }

    static func vector(_ name: String, _ id: String, actions n: Int) -> Workload {
        Workload(name: name, metric: .envStepsPerSecond, size: ("envs", 8), unitsPerStep: Double(stepsPerCall),
                 isTraining: false) {
            let envs = try! VectorEnvironment(count: 8) { _ in try Environments.make(id) }
            envs.reset(seed: 0)
            let flat = predrawn(n)
            let batches = (0..<4096).map { b in (0..<8).map { flat[(b * 8 + $0) & 0xFFFF] } }
            final class Cursor: @unchecked Sendable { var k = 0 }
            let cursor = Cursor()
            return WorkloadInstance(step: { _ in
                for _ in 0..<(stepsPerCall / 8) {
                    _ = try! envs.step(batches[cursor.k & 4095])
                    cursor.k &+= 1
                }
            }, extra: [("env", .string(id))])
        }
    }
}
