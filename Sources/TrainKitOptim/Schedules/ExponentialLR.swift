import Foundation
import TrainKitCore

/// Decays each group's learning rate by `gamma` every epoch (PyTorch `ExponentialLR`).
///
/// `lr(e) = base · gamma^e`
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it sets.
///   - gamma: the factor applied each epoch.
///
/// ```swift
/// let schedule = ExponentialLR(optimizer, gamma: 0.95)
/// ```
public final class ExponentialLR: ClosedFormSchedule {
    public let gamma: Double
    var core: ScheduleCore

    public init(_ optimizer: any OptimizerProtocol, gamma: Double) {
        self.gamma = gamma
        core = ScheduleCore(optimizer, kind: "ExponentialLR")
        step(toEpoch: 0)
    }

    /// `base · gamma^epoch`.
    public func learningRate(base: Double, epoch: Int) -> Double {
        base * pow(gamma, Double(epoch))
    }

    var hyperparameters: [String: [Double]] { ["gamma": [gamma]] }
}
