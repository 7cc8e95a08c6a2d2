import Foundation

/// Gymnasium's Pendulum-v1: swing a pendulum up and hold it upright with a bounded torque.
///
/// State `(θ, θ̇)`, float64; observation `(cos θ, sin θ, θ̇)` rounded to float32. With torque `u = clip(a, −2, 2)`
/// (float32, the action space's type), g = 10, m = l = 1, dt = 0.05:
///
///     cost = norm(θ)² + 0.1·θ̇² + 0.001·u²        norm(θ) = ((θ + π) mod 2π) − π; the u² term in float32
///     θ̇ ← clip(θ̇ + (3g/(2l)·sin θ + 3/(ml²)·u)·dt, −8, 8)      (3/(ml²)·u in float32)
///     θ ← θ + θ̇·dt
///
/// Reward `−cost`; never terminates (the 200-step limit is `TimeLimit`'s). `reset` draws `θ ~ U(−π, π)`,
/// `θ̇ ~ U(−1, 1)`. Shapes: observation `[3]`, action `box([−2], [2])`.
public struct Pendulum: StatefulEnvironment, Sendable {
    public static let maxSpeed = 8.0, maxTorque = 2.0, dt = 0.05, mass = 1.0, length = 1.0

    public let g: Double
    public var id: String { "Pendulum-v1" }
    public var observationSpace: Space { .box(low: [-1, -1, -Self.maxSpeed], high: [1, 1, Self.maxSpeed]) }
    public var actionSpace: Space { .box(low: [-Self.maxTorque], high: [Self.maxTorque]) }

    var theta = 0.0, thetaDot = 0.0
    var rng: EnvironmentRandom
    var steps = 0
    var hasReset = false
    var observation = [Double](repeating: 0, count: 3)

    public init(g: Double = 10.0) {
        self.g = g
        rng = .entropy()
    }

    public var state: [Double] { [theta, thetaDot] }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        if let seed { rng = EnvironmentRandom(seed: seed) }
        theta = rng.uniform(low: -Double.pi, high: Double.pi)
        thetaDot = rng.uniform(low: -1, high: 1)
        steps = 0
        hasReset = true
        return (writeObservation(), [:])
    }

    public mutating func reset(state: [Double]) throws -> [Double] {
        guard state.count == 2, state.allSatisfy(\.isFinite) else {
            throw EnvironmentError.badState(environment: id, expected: "2 finite numbers (θ, θ̇)", got: state)
        }
        (theta, thetaDot) = (state[0], state[1])
        steps = 0
        hasReset = true
        return writeObservation()
    }

    public mutating func step(_ action: Action) throws -> Step {
        guard case .continuous(let v) = action, v.count == 1, v[0].isFinite else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: steps, action: action, space: actionSpace)
        }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: id) }
        let u = min(max(Float(v[0]), Float(-Self.maxTorque)), Float(Self.maxTorque))
        let normalized = Self.angleNormalize(theta)
        let cost = normalized * normalized + 0.1 * (thetaDot * thetaDot) + Double(Float(0.001) * (u * u))
        let gravityTerm = 3 * g / (2 * Self.length) * sin(theta)
        let torqueTerm = Double(Float(3.0 / (Self.mass * Self.length * Self.length)) * u)
        var newThetaDot = thetaDot + (gravityTerm + torqueTerm) * Self.dt
        newThetaDot = min(max(newThetaDot, -Self.maxSpeed), Self.maxSpeed)
        theta = theta + newThetaDot * Self.dt
        thetaDot = newThetaDot
        steps += 1
        return Step(observation: writeObservation(), reward: -cost, terminated: false)
    }

    /// `((x + π) mod 2π) − π` with Python's (floor) modulo, so the result lies in `[−π, π)`.
    static func angleNormalize(_ x: Double) -> Double {
        let b = 2 * Double.pi
        var r = fmod(x + Double.pi, b)
        if r != 0 && (r < 0) != (b < 0) { r += b }
        return r - Double.pi
    }

    private mutating func writeObservation() -> [Double] {
        observation[0] = Double(Float(cos(theta)))
        observation[1] = Double(Float(sin(theta)))
        observation[2] = Double(Float(thetaDot))
        return observation
    }
}
