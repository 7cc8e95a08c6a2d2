import TrainKitCore

/// Sets an optimizer's learning rates as a function of how many times it has been stepped (PyTorch's
/// `torch.optim.lr_scheduler`).
///
/// PyTorch's protocol: building a schedule already writes the learning rate for step 0; each `step()` (once per
/// epoch, once per batch for `OneCycleLR`) advances and writes the next one. Read the lr, run the epoch, then
/// `step()`:
///
/// ```swift
/// let optimizer = Optimizer(SGD(lr: 0.1, momentum: 0.9), parameters: parameters)
/// let schedule = CosineAnnealingLR(optimizer, tMax: 30)
/// for _ in 0..<30 {
///     trainOneEpoch(optimizer)      // uses optimizer.learningRates
///     schedule.step()
/// }
/// ```
///
/// Each group's rate is a closed form of the step count and the group's base rate (its `initial_lr`, the lr it
/// had when the first schedule was attached), so a schedule owns the rate: compose schedules with
/// `SequentialLR`, not by attaching two to one optimizer. `ReduceLROnPlateau` follows a metric instead and is
/// not a `LearningRateSchedule`.
public protocol LearningRateSchedule: AnyObject {
    /// The optimizer whose learning rates this schedule writes.
    var optimizer: any OptimizerProtocol { get }
    /// Steps taken since construction (PyTorch `last_epoch`).
    var lastEpoch: Int { get }
    /// Each group's learning rate as last written (PyTorch `get_last_lr()`).
    var lastLRs: [Double] { get }
    /// Advances one epoch (or batch) and writes the new learning rates.
    func step()
    /// Jumps to `epoch` and writes its learning rates (PyTorch's `step(epoch)`; `SequentialLR` uses it to
    /// restart a schedule at its milestone).
    func step(toEpoch epoch: Int)
    /// The schedule's state, including its hyperparameters (for the mismatch check on load).
    func stateDict() -> ScheduleStateDict
    /// Restores a state saved by the same kind of schedule with the same hyperparameters and group count, and
    /// writes the restored learning rates into the optimizer. Throws `ScheduleStateError` on mismatch.
    func load(stateDict: ScheduleStateDict) throws
}

/// A schedule's saved state: plain numbers, JSON-encodable.
public struct ScheduleStateDict: Codable, Sendable, Equatable {
    /// The schedule type (`"CosineAnnealingLR"`).
    public var kind: String
    public var lastEpoch: Int
    public var baseLRs: [Double]
    public var lastLRs: [Double]
    /// Hyperparameters, checked on load (scalars are one-element lists).
    public var hyperparameters: [String: [Double]]
    /// Further mutable state (e.g. `T_cur`, `best`), restored on load.
    public var values: [String: Double]
    /// The states of the schedules a `SequentialLR` chains, in order.
    public var children: [ScheduleStateDict]

    public init(
        kind: String, lastEpoch: Int, baseLRs: [Double], lastLRs: [Double],
        hyperparameters: [String: [Double]] = [:], values: [String: Double] = [:],
        children: [ScheduleStateDict] = []
    ) {
        self.kind = kind
        self.lastEpoch = lastEpoch
        self.baseLRs = baseLRs
        self.lastLRs = lastLRs
        self.hyperparameters = hyperparameters
        self.values = values
        self.children = children
    }
}

/// Why a schedule refused a saved state; nothing is changed when it throws.
public enum ScheduleStateError: Error, CustomStringConvertible, Equatable {
    case kindMismatch(expected: String, found: String)
    case groupCountMismatch(expected: Int, found: Int)
    case hyperparameterMismatch(name: String, expected: [Double], found: [Double]?)
    case missingValue(name: String)
    case childCountMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .kindMismatch(let expected, let found): "schedule state is for \(found), this schedule is \(expected)"
        case .groupCountMismatch(let expected, let found):
            "schedule state has \(found) learning rates, the optimizer \(expected) groups"
        case .hyperparameterMismatch(let name, let expected, let found):
            "schedule state has \(name) = \(found.map { "\($0)" } ?? "nothing"), this schedule \(expected)"
        case .missingValue(let name): "schedule state lacks '\(name)'"
        case .childCountMismatch(let expected, let found):
            "schedule state chains \(found) schedules, this one \(expected)"
        }
    }
}

extension ScheduleStateDict {
    /// The value `name`, or `missingValue`.
    func value(_ name: String) throws -> Double {
        guard let value = values[name] else { throw ScheduleStateError.missingValue(name: name) }
        return value
    }
}
