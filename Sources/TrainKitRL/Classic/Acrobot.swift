import Foundation

/// Gymnasium's Acrobot-v1: swing the tip of a two-link chain above a line by torquing the joint between the links.
///
/// State `(θ₁, θ₂, θ̇₁, θ̇₂)`, float64 (the random start is drawn in float32, as Gymnasium's `astype(np.float32)`);
/// the observation is `(cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂)` rounded to float32. Action `i ∈ {0, 1, 2}` applies
/// torque `a = i − 1`. One step integrates the equations of motion over `dt = 0.2` with one classical RK4 step:
///
///     d₁ = m₁l_c1² + m₂(l₁² + l_c2² + 2l₁l_c2 cos θ₂) + I₁ + I₂,   d₂ = m₂(l_c2² + l₁l_c2 cos θ₂) + I₂
///     φ₂ = m₂l_c2 g cos(θ₁ + θ₂ − π/2)
///     φ₁ = −m₂l₁l_c2 θ̇₂² sin θ₂ − 2m₂l₁l_c2 θ̇₂θ̇₁ sin θ₂ + (m₁l_c1 + m₂l₁) g cos(θ₁ − π/2) + φ₂
///     θ̈₂ = (a + d₂/d₁ φ₁ − m₂l₁l_c2 θ̇₁² sin θ₂ − φ₂) / (m₂l_c2² + I₂ − d₂²/d₁)     ("book", the default)
///     θ̈₂ = (a + d₂/d₁ φ₁ − φ₂) / (m₂l_c2² + I₂ − d₂²/d₁)                           ("nips")
///     θ̈₁ = −(d₂θ̈₂ + φ₁) / d₁
///
/// with m = l = 1, l_c = 0.5, I = 1, g = 9.8; then θ wraps into `[−π, π]`, `θ̇₁` is bounded to `±4π` and `θ̇₂` to
/// `±9π`. Terminates when `−cos θ₁ − cos(θ₁ + θ₂) > 1`; reward −1 per step, 0 on the terminating one.
/// `reset` draws the state from `U(−0.1, 0.1)`. The 500-step limit is `TimeLimit`'s. Shapes: observation `[6]`.
public struct Acrobot: StatefulEnvironment, Sendable {
    /// Which form of θ̈₂ to use (Sutton & Barto's book, or the NIPS paper without the θ̇₁² term).
    public enum Dynamics: String, Sendable { case book, nips }

    public static let dt = 0.2
    public static let maxVelocity1 = 4 * Double.pi, maxVelocity2 = 9 * Double.pi
    static let torques = [-1.0, 0.0, 1.0]
    static let (m1, m2, l1, lc1, lc2, inertia, g) = (1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 9.8)

    public let dynamics: Dynamics
    public var id: String { "Acrobot-v1" }
    public var observationSpace: Space {
        let high = [1, 1, 1, 1, Self.maxVelocity1, Self.maxVelocity2].map { Double(Float($0)) }
        return .box(low: high.map { -$0 }, high: high)
    }
    public var actionSpace: Space { .discrete(3) }

    var s = (0.0, 0.0, 0.0, 0.0)
    var rng: EnvironmentRandom
    var steps = 0
    var hasReset = false
    var ended = false
    var observation = [Double](repeating: 0, count: 6)

    public init(dynamics: Dynamics = .book) {
        self.dynamics = dynamics
        rng = .entropy()
    }

    public var state: [Double] { [s.0, s.1, s.2, s.3] }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        if let seed { rng = EnvironmentRandom(seed: seed) }
        func draw() -> Double { Double(Float(rng.uniform(low: -0.1, high: 0.1))) }
        s = (draw(), draw(), draw(), draw())
        start()
        return (writeObservation(), [:])
    }

    public mutating func reset(state: [Double]) throws -> [Double] {
        guard state.count == 4, state.allSatisfy(\.isFinite) else {
            throw EnvironmentError.badState(environment: id, expected: "4 finite numbers (θ₁, θ₂, θ̇₁, θ̇₂)",
                                            got: state)
        }
        s = (state[0], state[1], state[2], state[3])
        start()
        return writeObservation()
    }

    public mutating func step(_ action: Action) throws -> Step {
        guard case .discrete(let a) = action, a >= 0 && a < 3 else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: steps, action: action, space: actionSpace)
        }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: id) }
        guard !ended else { throw EnvironmentError.stepAfterEnd(environment: id, step: steps) }
        var next = rk4(s, torque: Self.torques[a])
        next.0 = Self.wrap(next.0)
        next.1 = Self.wrap(next.1)
        next.2 = min(max(next.2, -Self.maxVelocity1), Self.maxVelocity1)
        next.3 = min(max(next.3, -Self.maxVelocity2), Self.maxVelocity2)
        s = next
        steps += 1
        ended = -cos(s.0) - cos(s.1 + s.0) > 1.0
        return Step(observation: writeObservation(), reward: ended ? 0.0 : -1.0, terminated: ended)
    }

    /// One RK4 step over `dt`, in Gymnasium's operation order: `y + dt/6·(((k₁ + 2k₂) + 2k₃) + k₄)`.
    func rk4(_ y: (Double, Double, Double, Double), torque: Double) -> (Double, Double, Double, Double) {
        let dt = Self.dt, h = dt / 2.0
        let k1 = derivatives(y, torque)
        let k2 = derivatives((y.0 + h * k1.0, y.1 + h * k1.1, y.2 + h * k1.2, y.3 + h * k1.3), torque)
        let k3 = derivatives((y.0 + h * k2.0, y.1 + h * k2.1, y.2 + h * k2.2, y.3 + h * k2.3), torque)
        let k4 = derivatives((y.0 + dt * k3.0, y.1 + dt * k3.1, y.2 + dt * k3.2, y.3 + dt * k3.3), torque)
        let w = dt / 6.0
        return (y.0 + w * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0), y.1 + w * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1),
                y.2 + w * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2), y.3 + w * (k1.3 + 2 * k2.3 + 2 * k3.3 + k4.3))
    }

    /// `(θ̇₁, θ̇₂, θ̈₁, θ̈₂)` at `y` under torque `a`.
    func derivatives(_ y: (Double, Double, Double, Double), _ a: Double) -> (Double, Double, Double, Double) {
        let (m1, m2, l1, lc1, lc2, i1, g) = (Self.m1, Self.m2, Self.l1, Self.lc1, Self.lc2, Self.inertia, Self.g)
        let i2 = i1
        let (theta1, theta2, dtheta1, dtheta2) = y
        let cos2 = cos(theta2), sin2 = sin(theta2)
        let d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + i1 + i2
        let d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + i2
        let phi2 = m2 * lc2 * g * cos(theta1 + theta2 - Double.pi / 2.0)
        let phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sin2 - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2
            + (m1 * lc1 + m2 * l1) * g * cos(theta1 - Double.pi / 2) + phi2
        let ddtheta2: Double
        switch dynamics {
        case .nips: ddtheta2 = (a + d2 / d1 * phi1 - phi2) / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1)
        case .book:
            ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sin2 - phi2)
                / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1)
        }
        let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return (dtheta1, dtheta2, ddtheta1, ddtheta2)
    }

    /// Gymnasium's `wrap(x, −π, π)`: adds or subtracts 2π until `x` lies in `[−π, π]`.
    static func wrap(_ value: Double) -> Double {
        var x = value
        let diff = Double.pi - -Double.pi
        while x > Double.pi { x = x - diff }
        while x < -Double.pi { x = x + diff }
        return x
    }

    private mutating func start() {
        steps = 0
        hasReset = true
        ended = false
    }

    private mutating func writeObservation() -> [Double] {
        observation[0] = Double(Float(cos(s.0)))
        observation[1] = Double(Float(sin(s.0)))
        observation[2] = Double(Float(cos(s.1)))
        observation[3] = Double(Float(sin(s.1)))
        observation[4] = Double(Float(s.2))
        observation[5] = Double(Float(s.3))
        return observation
    }
}
