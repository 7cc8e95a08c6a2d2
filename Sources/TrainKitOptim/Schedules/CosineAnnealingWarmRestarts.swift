import Foundation
import TrainKitCore

/// Cosine annealing that restarts at the base rate every cycle, each cycle `tMult` times longer than the last
/// (PyTorch `CosineAnnealingWarmRestarts`; SGDR).
///
/// `lr = etaMin + (base − etaMin)·(1 + cos(π·T_cur / T_i)) / 2`, with `T_cur` the epochs since the last restart
/// and `T_i` the current cycle length (starting at `t0`). Each `step()`: `T_cur += 1`, and when `T_cur ≥ T_i`:
/// `T_cur −= T_i; T_i *= tMult`. It can also be stepped per batch with a fractional epoch,
/// `step(epoch: e + i / batches)`.
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it sets.
///   - t0: epochs in the first cycle (> 0).
///   - tMult: growth factor of the cycle length (≥ 1).
///   - etaMin: the minimum learning rate.
///
/// ```swift
/// let schedule = CosineAnnealingWarmRestarts(optimizer, t0: 10, tMult: 2)
/// ```
public final class CosineAnnealingWarmRestarts: CoreBackedSchedule {
    public let t0: Int
    public let tMult: Int
    public let etaMin: Double
    /// Epochs since the last restart (fractional after `step(epoch:)`).
    public private(set) var tCur: Double = 0
    /// The length of the current cycle.
    public private(set) var tI: Int
    var core: ScheduleCore

    public init(_ optimizer: any OptimizerProtocol, t0: Int, tMult: Int = 1, etaMin: Double = 0) {
        precondition(t0 > 0, "CosineAnnealingWarmRestarts: t0 must be > 0, got \(t0)")
        precondition(tMult >= 1, "CosineAnnealingWarmRestarts: tMult must be >= 1, got \(tMult)")
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
        tI = t0
        core = ScheduleCore(optimizer, kind: "CosineAnnealingWarmRestarts")
        write()
    }

    public func step() {
        core.lastEpoch += 1
        tCur += 1
        if tCur >= Double(tI) {
            tCur -= Double(tI)
            tI *= tMult
        }
        write()
    }

    public func step(toEpoch epoch: Int) { step(epoch: Double(epoch)) }

    /// Jumps to a possibly fractional `epoch` (≥ 0): finds its cycle and the position in it.
    public func step(epoch: Double) {
        precondition(epoch >= 0, "CosineAnnealingWarmRestarts: epoch must be >= 0, got \(epoch)")
        // Walk the cycles exactly (PyTorch uses a floating-point log, same result away from rounding edges).
        var position = epoch
        var length = t0
        while position >= Double(length) {
            position -= Double(length)
            length *= tMult
        }
        tCur = position
        tI = length
        core.lastEpoch = Int(epoch.rounded(.down))
        write()
    }

    private func write() {
        let tCur = tCur
        let tI = Double(tI)
        let etaMin = etaMin
        core.write(core.baseLRs.map { base in etaMin + (base - etaMin) * (1 + cos(Double.pi * tCur / tI)) / 2 })
    }

    var hyperparameters: [String: [Double]] {
        ["T_0": [Double(t0)], "T_mult": [Double(tMult)], "eta_min": [etaMin]]
    }
    public func stateDict() -> ScheduleStateDict {
        core.stateDict(hyperparameters: hyperparameters, values: ["T_cur": tCur, "T_i": Double(tI)])
    }
    public func load(stateDict: ScheduleStateDict) throws {
        try core.validate(stateDict, hyperparameters: hyperparameters)
        let savedTCur = try stateDict.value("T_cur")
        let savedTI = try stateDict.value("T_i")
        tCur = savedTCur
        tI = Int(savedTI)
        core.restore(stateDict)
    }
}
