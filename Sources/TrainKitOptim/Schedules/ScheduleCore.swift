import TrainKitCore

/// What every closed-form schedule keeps: the optimizer, the base rates, the step count, the last rates.
struct ScheduleCore {
    let optimizer: any OptimizerProtocol
    let kind: String
    var baseLRs: [Double]
    var lastEpoch = 0
    var lastLRs: [Double]

    /// Records each group's `initial_lr` (first schedule only, PyTorch's `setdefault`) and takes it as the base.
    init(_ optimizer: any OptimizerProtocol, kind: String) {
        self.optimizer = optimizer
        self.kind = kind
        let current = optimizer.learningRates
        let bases = zip(optimizer.initialLearningRates, current).map { initial, lr in initial ?? lr }
        optimizer.initialLearningRates = bases
        baseLRs = bases
        lastLRs = current
    }

    /// Writes `lrs` into the optimizer and remembers them.
    mutating func write(_ lrs: [Double]) {
        optimizer.learningRates = lrs
        lastLRs = lrs
    }

    func stateDict(
        hyperparameters: [String: [Double]], values: [String: Double] = [:],
        children: [ScheduleStateDict] = []
    ) -> ScheduleStateDict {
        ScheduleStateDict(
            kind: kind, lastEpoch: lastEpoch, baseLRs: baseLRs, lastLRs: lastLRs,
            hyperparameters: hyperparameters, values: values, children: children)
    }

    /// Checks `saved` against this schedule (kind, group count, hyperparameters) without changing anything.
    func validate(_ saved: ScheduleStateDict, hyperparameters: [String: [Double]]) throws {
        guard saved.kind == kind else { throw ScheduleStateError.kindMismatch(expected: kind, found: saved.kind) }
        let groups = optimizer.learningRates.count
        guard saved.baseLRs.count == groups, saved.lastLRs.count == groups else {
            throw ScheduleStateError.groupCountMismatch(expected: groups, found: saved.lastLRs.count)
        }
        for (name, value) in hyperparameters.sorted(by: { $0.key < $1.key }) where saved.hyperparameters[name] != value
        {
            throw ScheduleStateError.hyperparameterMismatch(
                name: name, expected: value, found: saved.hyperparameters[name])
        }
    }

    /// Takes the step count and rates of a validated `saved` and writes its rates into the optimizer.
    mutating func restore(_ saved: ScheduleStateDict) {
        lastEpoch = saved.lastEpoch
        baseLRs = saved.baseLRs
        write(saved.lastLRs)
    }
}

/// A schedule that keeps its bookkeeping in a `ScheduleCore`: the protocol's properties, `step()` (to the next
/// epoch) and the plain state dict come from here; a schedule with more state implements its own.
protocol CoreBackedSchedule: LearningRateSchedule {
    var core: ScheduleCore { get set }
    /// The hyperparameters saved with the state and checked on load (PyTorch's names; scalars as 1-element lists).
    var hyperparameters: [String: [Double]] { get }
}

extension CoreBackedSchedule {
    public var optimizer: any OptimizerProtocol { core.optimizer }
    public var lastEpoch: Int { core.lastEpoch }
    public var lastLRs: [Double] { core.lastLRs }
    public func step() { step(toEpoch: core.lastEpoch + 1) }

    public func stateDict() -> ScheduleStateDict { core.stateDict(hyperparameters: hyperparameters) }

    public func load(stateDict: ScheduleStateDict) throws {
        try core.validate(stateDict, hyperparameters: hyperparameters)
        core.restore(stateDict)
    }
}

/// A schedule whose every group's rate is a closed form of the epoch and the group's base rate.
protocol ClosedFormSchedule: CoreBackedSchedule {
    func learningRate(base: Double, epoch: Int) -> Double
}

extension ClosedFormSchedule {
    public func step(toEpoch epoch: Int) {
        core.lastEpoch = epoch
        core.write(core.baseLRs.map { learningRate(base: $0, epoch: epoch) })
    }
}
