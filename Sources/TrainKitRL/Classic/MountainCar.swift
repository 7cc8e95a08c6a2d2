import Foundation

/// Gymnasium's MountainCar-v0: drive an under-powered car up the right hill by rocking it.
///
/// State `(position, velocity)`, float64; the observation is the state rounded to float32. Action `a ∈ {0, 1, 2}`
/// (push left, none, right):
///
///     velocity ← clip(velocity + (a − 1)·0.001 − 0.0025·cos(3·position), −0.07, 0.07)
///     position ← clip(position + velocity, −1.2, 0.6);  velocity ← 0 when position = −1.2 and velocity < 0
///
/// Terminates when `position ≥ 0.5` (and `velocity ≥ goalVelocity`, 0 by default); reward −1 per step.
/// `reset` draws the position from `U(−0.6, −0.4)` with velocity 0. The 200-step limit is `TimeLimit`'s.
/// Shapes: observation `[2]`, action `discrete(3)`.
public struct MountainCar: StatefulEnvironment, Sendable {
    public static let minPosition = MountainCarHill.minPosition, maxPosition = MountainCarHill.maxPosition
    public static let maxSpeed = MountainCarHill.maxSpeed, goalPosition = 0.5
    public static let force = 0.001, gravity = 0.0025

    public let goalVelocity: Double
    public var id: String { "MountainCar-v0" }
    public var observationSpace: Space { MountainCarHill.observationSpace }
    public var actionSpace: Space { .discrete(3) }

    var position = 0.0, velocity = 0.0
    var rng: EnvironmentRandom
    var steps = 0
    var hasReset = false
    var ended = false
    var observation = [Double](repeating: 0, count: 2)

    public init(goalVelocity: Double = 0) {
        self.goalVelocity = goalVelocity
        rng = .entropy()
    }

    public var state: [Double] { [position, velocity] }

    public mutating func reset(seed: UInt64?) -> (observation: [Double], info: [String: Double]) {
        if let seed { rng = EnvironmentRandom(seed: seed) }
        position = rng.uniform(low: -0.6, high: -0.4)
        velocity = 0
        start()
        return (writeObservation(), [:])
    }

    public mutating func reset(state: [Double]) throws -> [Double] {
        guard state.count == 2, state.allSatisfy(\.isFinite) else {
            throw EnvironmentError.badState(environment: id, expected: "2 finite numbers (position, velocity)",
                                            got: state)
        }
        (position, velocity) = (state[0], state[1])
        start()
        return writeObservation()
    }

    public mutating func step(_ action: Action) throws -> Step {
        guard case .discrete(let a) = action, a >= 0 && a < 3 else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: steps, action: action, space: actionSpace)
        }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: id) }
        guard !ended else { throw EnvironmentError.stepAfterEnd(environment: id, step: steps) }
        (position, velocity) = MountainCarHill.move(
            position: position, velocity: velocity,
            increment: Double(a - 1) * Self.force + cos(3 * position) * -Self.gravity)
        steps += 1
        ended = position >= Self.goalPosition && velocity >= goalVelocity
        return Step(observation: writeObservation(), reward: -1.0, terminated: ended)
    }

    private mutating func start() {
        steps = 0
        hasReset = true
        ended = false
    }

    private mutating func writeObservation() -> [Double] {
        observation[0] = Double(Float(position))
        observation[1] = Double(Float(velocity))
        return observation
    }
}
