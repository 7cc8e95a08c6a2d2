import TrainKitCore

/// Runs schedules one after another, switching at milestone epochs (PyTorch `SequentialLR`): the usual
/// warm-up then decay.
///
/// Before the first milestone the first schedule runs; at milestone `m[i]` schedule `i + 1` restarts from its
/// epoch 0 and runs from there, so at epoch `t ≥ m[i]` it is at epoch `t − m[i]`. All schedules must drive the
/// same optimizer; building this resets the rates to the first schedule's epoch 0.
///
/// - Parameters:
///   - optimizer: the optimizer the schedules drive.
///   - schedules: the schedules in order (at least one).
///   - milestones: the epochs at which to switch, increasing; one fewer than the schedules.
///
/// ```swift
/// let warmup = LinearLR(optimizer, startFactor: 0.1, totalIters: 5)
/// let decay = CosineAnnealingLR(optimizer, tMax: 95)
/// let schedule = SequentialLR(optimizer, schedules: [warmup, decay], milestones: [5])
/// ```
public final class SequentialLR: CoreBackedSchedule {
    public let schedules: [any LearningRateSchedule]
    public let milestones: [Int]
    var core: ScheduleCore

    public init(_ optimizer: any OptimizerProtocol, schedules: [any LearningRateSchedule], milestones: [Int]) {
        precondition(!schedules.isEmpty, "SequentialLR: needs at least one schedule")
        precondition(
            milestones.count == schedules.count - 1,
            "SequentialLR: \(schedules.count) schedules need \(schedules.count - 1) milestones, got \(milestones.count)"
        )
        precondition(
            zip(milestones, milestones.dropFirst()).allSatisfy { $0 < $1 },
            "SequentialLR: milestones must increase, got \(milestones)")
        precondition(
            schedules.allSatisfy { $0.optimizer === optimizer },
            "SequentialLR: every schedule must drive the optimizer passed to SequentialLR")
        self.schedules = schedules
        self.milestones = milestones
        core = ScheduleCore(optimizer, kind: "SequentialLR")
        schedules[0].step(toEpoch: 0)
        core.lastLRs = schedules[0].lastLRs
    }

    public func step() {
        core.lastEpoch += 1
        let index = milestones.count { $0 <= core.lastEpoch }  // bisect_right
        if index > 0 && milestones[index - 1] == core.lastEpoch {
            schedules[index].step(toEpoch: 0)
        } else {
            schedules[index].step()
        }
        core.lastLRs = schedules[index].lastLRs
    }

    public func step(toEpoch epoch: Int) {
        core.lastEpoch = epoch
        let index = milestones.count { $0 <= epoch }
        schedules[index].step(toEpoch: index > 0 ? epoch - milestones[index - 1] : epoch)
        core.lastLRs = schedules[index].lastLRs
    }

    var hyperparameters: [String: [Double]] { ["milestones": milestones.map(Double.init)] }

    public func stateDict() -> ScheduleStateDict {
        core.stateDict(hyperparameters: hyperparameters, children: schedules.map { $0.stateDict() })
    }

    public func load(stateDict: ScheduleStateDict) throws {
        try core.validate(stateDict, hyperparameters: hyperparameters)
        guard stateDict.children.count == schedules.count else {
            throw ScheduleStateError.childCountMismatch(expected: schedules.count, found: stateDict.children.count)
        }
        let backup = schedules.map { $0.stateDict() }
        do {
            for (schedule, saved) in zip(schedules, stateDict.children) { try schedule.load(stateDict: saved) }
        } catch {
            for (schedule, saved) in zip(schedules, backup) { try? schedule.load(stateDict: saved) }
            core.write(core.lastLRs)
            throw error
        }
        core.restore(stateDict)
    }
}
