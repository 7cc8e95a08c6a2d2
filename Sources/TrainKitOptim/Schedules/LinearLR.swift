import TrainKitCore

/// Scales each group's learning rate by a factor moving linearly from `startFactor` to `endFactor` over
/// `totalIters` epochs, then holds it (PyTorch `LinearLR`; the usual warm-up).
///
/// `lr(e) = base · (startFactor + (endFactor − startFactor)·min(e, totalIters) / totalIters)`
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it sets.
///   - startFactor: the factor at epoch 0, in (0, 1].
///   - endFactor: the factor from `totalIters` on, in [0, 1].
///   - totalIters: epochs of the ramp (> 0).
///
/// ```swift
/// let warmup = LinearLR(optimizer, startFactor: 0.1, totalIters: 5)
/// ```
public final class LinearLR: ClosedFormSchedule {
    public let startFactor: Double
    public let endFactor: Double
    public let totalIters: Int
    var core: ScheduleCore

    public init(
        _ optimizer: any OptimizerProtocol, startFactor: Double = 1.0 / 3, endFactor: Double = 1,
        totalIters: Int = 5
    ) {
        precondition(startFactor > 0 && startFactor <= 1, "LinearLR: startFactor must be in (0, 1], got \(startFactor)")
        precondition(endFactor >= 0 && endFactor <= 1, "LinearLR: endFactor must be in [0, 1], got \(endFactor)")
        precondition(totalIters > 0, "LinearLR: totalIters must be > 0, got \(totalIters)")
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        core = ScheduleCore(optimizer, kind: "LinearLR")
        step(toEpoch: 0)
    }

    /// `base · (startFactor + (endFactor − startFactor)·min(epoch, totalIters) / totalIters)`.
    public func learningRate(base: Double, epoch: Int) -> Double {
        base * (startFactor + (endFactor - startFactor) * Double(min(epoch, totalIters)) / Double(totalIters))
    }

    var hyperparameters: [String: [Double]] {
        ["start_factor": [startFactor], "end_factor": [endFactor], "total_iters": [Double(totalIters)]]
    }
}
