import Foundation
import TrainKitCore

/// Anneals each group's learning rate along a cosine from its base to `etaMin` over `tMax` epochs (PyTorch
/// `CosineAnnealingLR`).
///
/// `lr(e) = etaMin + (base − etaMin)·(1 + cos(π·e / tMax)) / 2`
///
/// There is no restart: past `tMax` the rate follows the cosine back up (use `CosineAnnealingWarmRestarts` to
/// restart).
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it sets.
///   - tMax: epochs of the half period (> 0).
///   - etaMin: the minimum learning rate.
///
/// ```swift
/// let schedule = CosineAnnealingLR(optimizer, tMax: 100, etaMin: 1e-5)
/// ```
public final class CosineAnnealingLR: ClosedFormSchedule {
    public let tMax: Int
    public let etaMin: Double
    var core: ScheduleCore

    public init(_ optimizer: any OptimizerProtocol, tMax: Int, etaMin: Double = 0) {
        precondition(tMax > 0, "CosineAnnealingLR: tMax must be > 0, got \(tMax)")
        self.tMax = tMax
        self.etaMin = etaMin
        core = ScheduleCore(optimizer, kind: "CosineAnnealingLR")
        step(toEpoch: 0)
    }

    /// `etaMin + (base − etaMin)·(1 + cos(π·epoch / tMax)) / 2`.
    public func learningRate(base: Double, epoch: Int) -> Double {
        etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(epoch) / Double(tMax))) / 2
    }

    var hyperparameters: [String: [Double]] { ["T_max": [Double(tMax)], "eta_min": [etaMin]] }
}
