/// The set of valid actions or observations of an environment (Gymnasium's `Discrete` and `Box`).
///
/// - `discrete(n)`: the integers `0..<n`. As an observation it is one number (`flatDimension` 1), the index.
/// - `box(low:high:)`: flat vectors `v` of shape `[low.count]` with `low[j] ≤ v[j] ≤ high[j]`; a bound may be
///   `±.infinity` (or `±Float.greatestFiniteMagnitude`, as Gymnasium writes an unbounded float32 box).
public enum Space: Sendable, Equatable, CustomStringConvertible {
    case discrete(Int)
    case box(low: [Double], high: [Double])

    /// The number of `Double`s an observation in this space takes: `low.count` for a box, 1 for a discrete space.
    public var flatDimension: Int {
        switch self {
        case .discrete: 1
        case .box(let low, _): low.count
        }
    }

    /// Whether `action` lies in the space: the right case, the right length, inside the bounds and finite.
    public func contains(_ action: Action) -> Bool {
        switch (self, action) {
        case (.discrete(let n), .discrete(let i)): return i >= 0 && i < n
        case (.box(let low, let high), .continuous(let v)):
            guard v.count == low.count else { return false }
            for j in 0..<v.count where !(v[j].isFinite && v[j] >= low[j] && v[j] <= high[j]) { return false }
            return true
        default: return false
        }
    }

    /// Whether an environment can be stepped with `action`: a discrete action in `0..<n`, or a continuous one of the
    /// right length with finite values. Unlike `contains`, a continuous value beyond the bounds is accepted: the
    /// environment clips it, as Gymnasium's do (Pendulum, MountainCarContinuous). `VectorEnvironment` and
    /// `CheckedEnvironment` refuse what this refuses.
    public func accepts(_ action: Action) -> Bool {
        switch (self, action) {
        case (.discrete(let n), .discrete(let i)): return i >= 0 && i < n
        case (.box(let low, _), .continuous(let v)): return v.count == low.count && v.allSatisfy(\.isFinite)
        default: return false
        }
    }

    /// `action` with each continuous value clipped into the bounds (a discrete action unchanged), as
    /// Stable-Baselines3 clips a policy's sample before stepping.
    public func clipped(_ action: Action) -> Action {
        guard case .box(let low, let high) = self, case .continuous(let v) = action, v.count == low.count else {
            return action
        }
        return .continuous((0..<v.count).map { min(max(v[$0], low[$0]), high[$0]) })
    }

    /// Why the space itself is malformed (`discrete` with `n < 1`; a box with bounds of different lengths, NaN
    /// bounds or `low > high`), or nil when it is well formed.
    public var problem: String? {
        switch self {
        case .discrete(let n): return n >= 1 ? nil : "discrete(\(n)) has no values"
        case .box(let low, let high):
            guard low.count == high.count else { return "box bounds have \(low.count) and \(high.count) entries" }
            for j in 0..<low.count where !(low[j] <= high[j]) { return "box bound \(j): low \(low[j]) > high \(high[j])" }
            return nil
        }
    }

    /// Whether `observation` (flat, `flatDimension` long) lies in the space; a discrete observation is a whole
    /// number in `0..<n`.
    public func containsObservation(_ observation: [Double]) -> Bool {
        switch self {
        case .discrete(let n):
            guard observation.count == 1, let i = Int(exactly: observation[0]) else { return false }
            return i >= 0 && i < n
        case .box(let low, let high):
            guard observation.count == low.count else { return false }
            for j in 0..<observation.count where !(observation[j] >= low[j] && observation[j] <= high[j]) {
                return false
            }
            return true
        }
    }

    /// A uniformly random member, as Gymnasium's `sample()` for bounded spaces. The space must be well formed
    /// (`problem == nil`).
    ///
    /// For a box, coordinate `j` is drawn as: `U(low, high)` when both bounds are finite; `low + Exp(1)` when only
    /// `low` is finite; `high − Exp(1)` when only `high` is finite; `N(0, 1)` when neither is (Gymnasium's rule).
    public func sample(using rng: inout EnvironmentRandom) -> Action {
        switch self {
        case .discrete(let n): return .discrete(rng.int(below: n))
        case .box(let low, let high):
            var v = [Double](repeating: 0, count: low.count)
            for j in 0..<low.count {
                let lo = Space.bounded(low[j]), hi = Space.bounded(high[j])
                switch (lo, hi) {
                case (true, true): v[j] = rng.uniform(low: low[j], high: high[j])
                case (true, false): v[j] = low[j] + rng.exponential()
                case (false, true): v[j] = high[j] - rng.exponential()
                case (false, false): v[j] = rng.normal()
                }
            }
            return .continuous(v)
        }
    }

    /// Whether a bound is finite and below float32's largest value (Gymnasium's `is_bounded`).
    static func bounded(_ x: Double) -> Bool { x.isFinite && abs(x) < Double(Float.greatestFiniteMagnitude) }

    public var description: String {
        switch self {
        case .discrete(let n): "Discrete(\(n))"
        case .box(let low, let high): "Box(low: \(low), high: \(high))"
        }
    }
}
