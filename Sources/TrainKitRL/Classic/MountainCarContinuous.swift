import Foundation

/// Gymnasium's MountainCarContinuous-v0: MountainCar with a continuous push `u ∈ [−1, 1]` and an energy cost.
///
///     force    = clip(u, −1, 1)
///     velocity ← clip(velocity + force·0.0015 − 0.0025·cos(3·position), −0.07, 0.07)
///     position ← clip(position + velocity, −1.2, 0.6);  velocity ← 0 when position = −1.2 and velocity < 0
///     reward   = 100·[terminated] − 0.1·u²      (u unclipped)
///
/// Terminates when `position ≥ 0.45` and `velocity ≥ goalVelocity` (0). The 999-step limit is `TimeLimit`'s.
///
/// Precision follows Gymnasium exactly: the action is float32 (the action space's type), so `force·0.0015` and
/// the velocity increment are float32 arithmetic when the action lies inside `[−1, 1]` and float64 when it was
/// clipped; the state is stored as float32 after every step, so from the second step of an episode the velocity
/// and position updates run in float32 (NumPy 2's promotion rules), while the state a `reset` draws is float64.
/// Shapes: observation `[2]`, action `box([−1], [1])`.
public struct MountainCarContinuous: StatefulEnvironment, Sendable {
    public static let minPosition = MountainCarHill.minPosition, maxPosition = MountainCarHill.maxPosition
    public static let maxSpeed = MountainCarHill.maxSpeed, goalPosition = 0.45, power = 0.0015

    public let goalVelocity: Double
    public var id: String { "MountainCarContinuous-v0" }
    public var observationSpace: Space { MountainCarHill.observationSpace }
    public var actionSpace: Space { .box(low: [-1], high: [1]) }

    var position = 0.0, velocity = 0.0
    /// Whether the state holds float32 values (after a step) or float64 ones (after a reset).
    var single = false
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
        guard case .continuous(let v) = action, v.count == 1, v[0].isFinite else {
            throw EnvironmentError.actionOutsideSpace(environment: id, step: steps, action: action, space: actionSpace)
        }
        guard hasReset else { throw EnvironmentError.stepBeforeReset(environment: id) }
        guard !ended else { throw EnvironmentError.stepAfterEnd(environment: id, step: steps) }
        let u = Float(v[0])
        // cos(3·position): 3·position is float32 arithmetic once the state is float32.
        let angle = single ? Double(3 * Float(position)) : 3 * position
        let pull = 0.0025 * cos(angle)
        // The increment: float32 when the force is the (float32) action, float64 when clipping replaced it.
        let increment: Double
        if u < -1 || u > 1 {
            increment = (u < -1 ? -1.0 : 1.0) * Self.power - pull
        } else {
            increment = Double((u * Float(Self.power)) - Float(pull))
        }
        if single {
            // float32 state: every update is float32 (a Python float operand is rounded to float32 first).
            let (p, s) = MountainCarHill.move(position: Float(position), velocity: Float(velocity),
                                              increment: Float(increment))
            (position, velocity) = (Double(p), Double(s))
            ended = p >= Float(Self.goalPosition) && s >= Float(goalVelocity)
        } else {
            let (p, s) = MountainCarHill.move(position: position, velocity: velocity, increment: increment)
            ended = p >= Self.goalPosition && s >= goalVelocity
            (position, velocity) = (Double(Float(p)), Double(Float(s)))
        }
        single = true
        steps += 1
        let reward = (ended ? 100.0 : 0.0) - pow(Double(u), 2) * 0.1
        return Step(observation: writeObservation(), reward: reward, terminated: ended)
    }

    private mutating func start() {
        steps = 0
        hasReset = true
        ended = false
        single = false
    }

    private mutating func writeObservation() -> [Double] {
        observation[0] = Double(Float(position))
        observation[1] = Double(Float(velocity))
        return observation
    }
}
