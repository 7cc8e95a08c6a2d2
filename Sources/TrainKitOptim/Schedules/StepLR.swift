import Foundation
import TrainKitCore

/// Decays each group's learning rate by `gamma` every `stepSize` epochs (PyTorch `StepLR`).
///
/// `lr(e) = base · gamma^⌊e / stepSize⌋`
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it sets.
///   - stepSize: epochs between decays (> 0).
///   - gamma: the factor applied at each decay.
///
/// ```swift
/// let schedule = StepLR(optimizer, stepSize: 30, gamma: 0.1)
/// ```
public final class StepLR: ClosedFormSchedule {
    public let stepSize: Int
    public let gamma: Double
    var core: ScheduleCore

    public init(_ optimizer: any OptimizerProtocol, stepSize: Int, gamma: Double = 0.1) {
        precondition(stepSize > 0, "StepLR: stepSize must be > 0, got \(stepSize)")
        self.stepSize = stepSize
        self.gamma = gamma
        core = ScheduleCore(optimizer, kind: "StepLR")
        step(toEpoch: 0)
    }

    /// `base · gamma^⌊epoch / stepSize⌋`.
    public func learningRate(base: Double, epoch: Int) -> Double {
        base * pow(gamma, Double(epoch / stepSize))
    }

    var hyperparameters: [String: [Double]] { ["step_size": [Double(stepSize)], "gamma": [gamma]] }
}
