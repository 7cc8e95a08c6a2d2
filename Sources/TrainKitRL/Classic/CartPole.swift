#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gymnasium's CartPole-v1: balance a pole on a cart by pushing the cart left or right.
///
/// State `(x, ẋ, θ, θ̇)` in float64; the observation is the state rounded to float32 (as Gymnasium returns
/// `np.array(state, dtype=np.float32)`), widened back to `Double`. With force `F = ±10` (action 1 pushes right):
///
///     temp = (F + m_p·l·θ̇²·sin θ) / (m_c + m_p)
///     θ̈    = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / (m_c + m_p)))
///     ẍ    = temp − m_p·l·θ̈·cos θ / (m_c + m_p)
///
/// then Euler with τ = 0.02 (positions move with the old velocities). g = 9.8, m_c = 1, m_p = 0.1, l = 0.5.
/// Terminates when `|x| > 2.4` or `|θ| > 12°`; reward 1 on every step, the terminating one included (with
/// `suttonBartoReward`, Gymnasium's `sutton_barto_reward=True`: 0 per step and −1 on the terminating one).
/// `reset` draws each state entry from `U(−0.05, 0.05)`. The 500-step limit is `TimeLimit`'s (`Environments.make`).
/// Shapes: observation `[4]`, action `discrete(2)`.
public struct CartPole: StatefulEnvironment, Sendable {
    public static let gravity = 9.8, massCart = 1.0, massPole = 0.1, length = 0.5, forceMagnitude = 10.0
    public static let tau = 0.02, xThreshold = 2.4
    public static let thetaThreshold = 12 * 2 * Double.pi / 360
    static let totalMass = massPole + massCart
    static let poleMassLength = massPole * length

    /// Gymnasium's `sutton_barto_reward`: reward 0 per step and −1 when the episode terminates.
    public let suttonBartoReward: Bool
    public var id: String { "CartPole-v1" }
    public var observationSpace: Space {
        let high = [Self.xThreshold * 2, Double(Float.greatestFiniteMagnitude), Self.thetaThreshold * 2,
                    Double(Float.greatestFiniteMagnitude)].map { Double(Float($0)) }
        return .box(low: high.map { -$0 }, high: high)
    }
    public var actionSpace: Space { .discrete(2) }

    var x = 0.0, xDot = 0.0, theta = 0.0, thetaDot = 0.0
    var rng: EnvironmentRandom
    var steps = 0
    var hasReset = false
    var ended = false
    /// Reused each step: written in place when the caller has dropped the previous step's observation.
    var observation = [Double](repeating: 0, count: 4)

    /// A new environment; its random stream is seeded from the system until a `reset(seed:)` seeds it.
    public init(suttonBartoReward: Bool = false) {
        self.suttonBartoReward = suttonBartoReward
        rng = .entropy()
    }

    public var state: [Double] { [x, xDot, theta, thetaDot] }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        if let seed { rng = EnvironmentRandom(seed: seed) }
        x = rng.uniform(low: -0.05, high: 0.05)
        xDot = rng.uniform(low: -0.05, high: 0.05)
        theta = rng.uniform(low: -0.05, high: 0.05)
        thetaDot = rng.uniform(low: -0.05, high: 0.05)
        start()
        return (writeObservation(), [:])
    }

    public mutating func reset(state: [Double]) throws -> [Double] {
        guard state.count == 4, state.allSatisfy(\.isFinite) else {
            throw EnvironmentError.badState(environment: id, expected: "4 finite numbers (x, ẋ, θ, θ̇)", got: state)
        }
        (x, xDot, theta, thetaDot) = (state[0], state[1], state[2], state[3])
        start()
        return writeObservation()
    }

    public mutating func step(_ action: Action) throws -> Step {
        guard case .discrete(let a) = action, a == 0 || a == 1 else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: steps, action: action, space: actionSpace)
        }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: id) }
        guard !ended else { throw EnvironmentError.stepAfterEnd(environment: id, step: steps) }
        let force = a == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(theta), sinTheta = sin(theta)
        let temp = (force + Self.poleMassLength * (thetaDot * thetaDot) * sinTheta) / Self.totalMass
        let thetaAcc = (Self.gravity * sinTheta - cosTheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.massPole * (cosTheta * cosTheta) / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * cosTheta / Self.totalMass
        x = x + Self.tau * xDot
        xDot = xDot + Self.tau * xAcc
        theta = theta + Self.tau * thetaDot
        thetaDot = thetaDot + Self.tau * thetaAcc
        steps += 1
        ended = x < -Self.xThreshold || x > Self.xThreshold || theta < -Self.thetaThreshold
            || theta > Self.thetaThreshold
        let reward = suttonBartoReward ? (ended ? -1.0 : 0.0) : 1.0
        return Step(observation: writeObservation(), reward: reward, terminated: ended)
    }

    private mutating func start() {
        steps = 0
        hasReset = true
        ended = false
    }

    private mutating func writeObservation() -> [Double] {
        observation[0] = Double(Float(x))
        observation[1] = Double(Float(xDot))
        observation[2] = Double(Float(theta))
        observation[3] = Double(Float(thetaDot))
        return observation
    }
}
