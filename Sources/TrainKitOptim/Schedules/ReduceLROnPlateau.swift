import TrainKitCore

/// Lowers the learning rates when a metric stops improving (PyTorch `ReduceLROnPlateau`).
///
/// Called once per epoch as `step(metric:)`. A metric is *better* than the best so far when
/// (`mode`, `thresholdMode`) = (min, rel): `a < best·(1 − threshold)`; (min, abs): `a < best − threshold`;
/// (max, rel): `a > best·(1 + threshold)`; (max, abs): `a > best + threshold`. Each step: better → `best = a`,
/// `bad = 0`, else `bad += 1`; during cooldown the cooldown counter counts down and `bad = 0`; when
/// `bad > patience`, each group's rate becomes `max(lr·factor, minLR)` (only if that lowers it by more than
/// `eps`), then the cooldown starts and `bad = 0`.
///
/// Not a `LearningRateSchedule`: it advances on a metric, not on a count, and it changes whatever rate the
/// groups have rather than a base rate.
///
/// - Parameters:
///   - optimizer: the optimizer whose learning rates it lowers.
///   - mode: `.min` for a loss, `.max` for an accuracy.
///   - factor: the multiplier applied to the rate (< 1).
///   - patience: epochs without improvement tolerated before lowering.
///   - threshold: the least change that counts as an improvement.
///   - thresholdMode: `.relative` or `.absolute` threshold.
///   - cooldown: epochs to wait after a reduction before counting bad epochs again.
///   - minLRs: the lowest rate of each group (`minLR:` for one value for all).
///   - eps: reductions smaller than this are skipped.
///
/// ```swift
/// let plateau = ReduceLROnPlateau(optimizer, mode: .min, factor: 0.5, patience: 3)
/// plateau.step(metric: validationLoss)
/// ```
public final class ReduceLROnPlateau {
    public enum Mode: String, Sendable { case min, max }
    public enum ThresholdMode: String, Sendable {
        case relative = "rel"
        case absolute = "abs"
    }

    public let optimizer: any OptimizerProtocol
    public let mode: Mode
    public let factor: Double
    public let patience: Int
    public let threshold: Double
    public let thresholdMode: ThresholdMode
    public let cooldown: Int
    public let minLRs: [Double]
    public let eps: Double
    /// The best metric so far (±infinity before the first step).
    public private(set) var best: Double
    public private(set) var numBadEpochs = 0
    public private(set) var cooldownCounter = 0
    public private(set) var lastEpoch = 0
    public private(set) var lastLRs: [Double]

    public convenience init(
        _ optimizer: any OptimizerProtocol, mode: Mode = .min, factor: Double = 0.1,
        patience: Int = 10, threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative,
        cooldown: Int = 0, minLR: Double = 0, eps: Double = 1e-8
    ) {
        self.init(
            optimizer, mode: mode, factor: factor, patience: patience, threshold: threshold,
            thresholdMode: thresholdMode, cooldown: cooldown,
            minLRs: Array(repeating: minLR, count: optimizer.learningRates.count), eps: eps)
    }

    public init(
        _ optimizer: any OptimizerProtocol, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
        threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative, cooldown: Int = 0,
        minLRs: [Double], eps: Double = 1e-8
    ) {
        precondition(factor < 1, "ReduceLROnPlateau: factor must be < 1, got \(factor)")
        precondition(
            minLRs.count == optimizer.learningRates.count,
            "ReduceLROnPlateau: \(minLRs.count) minLRs for \(optimizer.learningRates.count) groups")
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLRs = minLRs
        self.eps = eps
        best = mode == .min ? .infinity : -.infinity
        lastLRs = optimizer.learningRates
    }

    /// Whether `a` improves on `best`.
    public func isBetter(_ a: Double, than best: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .relative): a < best * (1 - threshold)
        case (.min, .absolute): a < best - threshold
        case (.max, .relative): a > best * (1 + threshold)
        case (.max, .absolute): a > best + threshold
        }
    }

    /// Records one epoch's metric and lowers the rates if it has plateaued.
    public func step(metric: Double) {
        lastEpoch += 1
        if isBetter(metric, than: best) {
            best = metric
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
        }
        if numBadEpochs > patience {
            var lrs = optimizer.learningRates
            for g in lrs.indices {
                let new = Swift.max(lrs[g] * factor, minLRs[g])
                if lrs[g] - new > eps { lrs[g] = new }
            }
            optimizer.learningRates = lrs
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
        lastLRs = optimizer.learningRates
    }

    var hyperparameters: [String: [Double]] {
        [
            "mode_max": [mode == .max ? 1 : 0], "factor": [factor], "patience": [Double(patience)],
            "threshold": [threshold], "threshold_abs": [thresholdMode == .absolute ? 1 : 0],
            "cooldown": [Double(cooldown)], "min_lrs": minLRs, "eps": [eps],
        ]
    }

    /// The state; `best` is left out while it is still infinite (JSON has no infinity).
    public func stateDict() -> ScheduleStateDict {
        var values = ["num_bad_epochs": Double(numBadEpochs), "cooldown_counter": Double(cooldownCounter)]
        if best.isFinite { values["best"] = best }
        return ScheduleStateDict(
            kind: "ReduceLROnPlateau", lastEpoch: lastEpoch, baseLRs: lastLRs, lastLRs: lastLRs,
            hyperparameters: hyperparameters, values: values)
    }

    /// Restores a saved state and writes its rates into the optimizer; throws `ScheduleStateError` on mismatch.
    public func load(stateDict: ScheduleStateDict) throws {
        guard stateDict.kind == "ReduceLROnPlateau" else {
            throw ScheduleStateError.kindMismatch(expected: "ReduceLROnPlateau", found: stateDict.kind)
        }
        guard stateDict.lastLRs.count == minLRs.count else {
            throw ScheduleStateError.groupCountMismatch(expected: minLRs.count, found: stateDict.lastLRs.count)
        }
        for (name, value) in hyperparameters.sorted(by: { $0.key < $1.key })
        where stateDict.hyperparameters[name] != value {
            throw ScheduleStateError.hyperparameterMismatch(
                name: name, expected: value, found: stateDict.hyperparameters[name])
        }
        let bad = try stateDict.value("num_bad_epochs")
        let counter = try stateDict.value("cooldown_counter")
        best = stateDict.values["best"] ?? (mode == .min ? .infinity : -.infinity)
        numBadEpochs = Int(bad)
        cooldownCounter = Int(counter)
        lastEpoch = stateDict.lastEpoch
        lastLRs = stateDict.lastLRs
        optimizer.learningRates = lastLRs
    }
}
