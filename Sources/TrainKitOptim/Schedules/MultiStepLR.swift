import Foundation
import TrainKitCore

/// Decays each group's learning rate by `gamma` at each milestone epoch (PyTorch `MultiStepLR`).
///
/// `lr(e) = base · gamma^(number of milestones ≤ e)`; a milestone listed twice decays twice.
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it sets.
///   - milestones: epochs at which to decay (any order).
///   - gamma: the factor applied at each milestone.
///
/// ```swift
/// let schedule = MultiStepLR(optimizer, milestones: [30, 80], gamma: 0.1)
/// ```
public final class MultiStepLR: ClosedFormSchedule {
    /// The milestones, sorted.
    public let milestones: [Int]
    public let gamma: Double
    var core: ScheduleCore

    public init(_ optimizer: any OptimizerProtocol, milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.sorted()
        self.gamma = gamma
        core = ScheduleCore(optimizer, kind: "MultiStepLR")
        step(toEpoch: 0)
    }

    /// `base · gamma^(number of milestones ≤ epoch)`.
    public func learningRate(base: Double, epoch: Int) -> Double {
        base * pow(gamma, Double(milestones.count { $0 <= epoch }))
    }

    var hyperparameters: [String: [Double]] { ["milestones": milestones.map(Double.init), "gamma": [gamma]] }
}
