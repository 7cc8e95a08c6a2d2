import Foundation
import TrainKitOptim

/// Steps a learning-rate schedule once per epoch (or per optimizer step, for `OneCycleLR`-style schedules).
/// The schedule is built from the trainer's optimizer when training starts.
public final class LRSchedulerCallback: Callback {
    public let perStep: Bool
    private let make: (any OptimizerProtocol) -> any LearningRateSchedule
    public private(set) var schedule: (any LearningRateSchedule)?
    private var pending: ScheduleStateDict?

    public init(perStep: Bool = false, _ make: @escaping (any OptimizerProtocol) -> any LearningRateSchedule) {
        self.perStep = perStep
        self.make = make
    }

    public override var stateKey: String? { "lr_schedule" }

    public override func fitStart(_ trainer: Trainer) throws {
        if schedule == nil { schedule = make(trainer.optimizer) }
        if let pending {
            try schedule!.load(stateDict: pending)
            self.pending = nil
        }
    }

    public override func batchEnd(_ trainer: Trainer, epoch: Int, batch: Int, logs: [String: Double], stepped: Bool) throws {
        if perStep && stepped { schedule?.step() }
    }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        if !perStep { schedule?.step() }
    }

    public override func checkpointState() -> CallbackState? {
        guard let schedule, let data = try? JSONEncoder().encode(schedule.stateDict()) else { return nil }
        return CallbackState(json: String(decoding: data, as: UTF8.self))
    }

    public override func restore(_ state: CallbackState) throws {
        guard let json = state.json else { return }
        let dict = try JSONDecoder().decode(ScheduleStateDict.self, from: Data(json.utf8))
        if let schedule { try schedule.load(stateDict: dict) } else { pending = dict }
    }
}

/// Lowers the learning rate when `monitor` stops improving (``ReduceLROnPlateau`` driven by epoch logs).
public final class ReduceLROnPlateauCallback: Callback {
    public let monitor: String
    private let make: (any OptimizerProtocol) -> ReduceLROnPlateau
    public private(set) var scheduler: ReduceLROnPlateau?
    private var pending: ScheduleStateDict?

    public init(monitor: String = "val_loss", _ make: @escaping (any OptimizerProtocol) -> ReduceLROnPlateau) {
        self.monitor = monitor
        self.make = make
    }

    public override var stateKey: String? { "reduce_lr_on_plateau" }

    public override func fitStart(_ trainer: Trainer) throws {
        if scheduler == nil { scheduler = make(trainer.optimizer) }
        if let pending {
            try scheduler!.load(stateDict: pending)
            self.pending = nil
        }
    }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        guard let value = logs[monitor] else {
            throw TrainingError.invalidArgument("ReduceLROnPlateau monitors '\(monitor)', which this run does not report")
        }
        scheduler?.step(metric: value)
    }

    public override func checkpointState() -> CallbackState? {
        guard let scheduler, let data = try? JSONEncoder().encode(scheduler.stateDict()) else { return nil }
        return CallbackState(json: String(decoding: data, as: UTF8.self))
    }

    public override func restore(_ state: CallbackState) throws {
        guard let json = state.json else { return }
        let dict = try JSONDecoder().decode(ScheduleStateDict.self, from: Data(json.utf8))
        if let scheduler { try scheduler.load(stateDict: dict) } else { pending = dict }
    }
}

extension Callback {
    /// Steps the schedule `make` builds once per epoch (or per optimizer step with `perStep`).
    public static func lrSchedule(perStep: Bool = false,
                                  _ make: @escaping (any OptimizerProtocol) -> any LearningRateSchedule) -> Callback {
        LRSchedulerCallback(perStep: perStep, make)
    }

    /// Multiplies the learning rate by `factor` after `patience` epochs without improvement of `monitor`.
    public static func reduceLROnPlateau(monitor: String = "val_loss", factor: Double = 0.1, patience: Int = 10,
                                         minLR: Double = 0) -> Callback {
        ReduceLROnPlateauCallback(monitor: monitor) { optimizer in
            ReduceLROnPlateau(optimizer, mode: MonitorMode.auto.resolved(for: monitor) == .max ? .max : .min,
                              factor: factor, patience: patience, minLR: minLR)
        }
    }
}
