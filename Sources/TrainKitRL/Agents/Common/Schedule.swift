/// A hyperparameter that changes over training, as Stable-Baselines3's schedules: a function of the
/// *progress remaining* `p`, which falls from 1 at the start of training to 0 at `total_timesteps`.
///
/// - `constant(v)`: `v` throughout.
/// - `linear(from: a, to: b)`: `b + (a − b) · p` (the RL-Zoo's `lin_0.001` is `linear(from: 0.001, to: 0)`).
/// - `linearFraction(from: a, to: b, fraction: f)`: SB3's `get_linear_fn(a, b, f)`, used for DQN's ε: with
///   progress `q = 1 − p`, `a + q · (b − a) / f` while `q ≤ f`, then `b`.
public enum Schedule: Sendable, Equatable {
    case constant(Double)
    case linear(from: Double, to: Double)
    case linearFraction(from: Double, to: Double, fraction: Double)

    /// The value at progress remaining `p ∈ [0, 1]`.
    public func value(progressRemaining p: Double) -> Double {
        switch self {
        case .constant(let v):
            return v
        case .linear(let a, let b):
            return b + (a - b) * p
        case .linearFraction(let a, let b, let f):
            let q = 1 - p
            return q > f ? b : a + q * (b - a) / f
        }
    }

    /// The value at the start of training.
    public var initialValue: Double { value(progressRemaining: 1) }
}
