/// The hill both MountainCar environments drive on: its bounds and one step of the car's kinematics.
///
///     velocity ← clip(velocity + increment, −0.07, 0.07)
///     position ← clip(position + velocity, −1.2, 0.6);  velocity ← 0 when position = −1.2 and velocity < 0
///
/// Generic over the floating-point type so that each environment can run it in the precision Gymnasium uses
/// (float64 for MountainCar-v0; float32 once MountainCarContinuous-v0's state has been stored as float32).
enum MountainCarHill {
    static let minPosition = -1.2, maxPosition = 0.6, maxSpeed = 0.07

    /// Observations are the state rounded to float32, so the bounds are too.
    static var observationSpace: Space {
        .box(low: [Double(Float(minPosition)), Double(Float(-maxSpeed))],
             high: [Double(Float(maxPosition)), Double(Float(maxSpeed))])
    }

    /// One step: adds `increment` (push and gravity) to the velocity, then moves, with the clips above.
    static func move<F: BinaryFloatingPoint>(position: F, velocity: F, increment: F) -> (position: F, velocity: F) {
        let maxSpeed = F(maxSpeed), minPosition = F(minPosition), maxPosition = F(maxPosition)
        var s = velocity + increment
        if s > maxSpeed { s = maxSpeed }
        if s < -maxSpeed { s = -maxSpeed }
        var p = position + s
        if p > maxPosition { p = maxPosition }
        if p < minPosition { p = minPosition }
        if p == minPosition && s < 0 { s = 0 }
        return (p, s)
    }
}
