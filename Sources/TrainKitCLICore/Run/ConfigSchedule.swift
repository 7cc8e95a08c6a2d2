import TrainKit

/// The learning-rate schedule a config asks for, reporting a checkpoint that does not fit it in the config's
/// terms. On `--resume` the checkpoint's schedule state must match the schedule the config builds; a
/// mismatch (`T_max` of a cosine schedule after `training.epochs` changed) becomes a ``ConfigError`` naming
/// the key that changed, instead of the schedule's internal names. Everything else passes through.
final class ConfigSchedule: LearningRateSchedule {
    let base: any LearningRateSchedule
    /// `training.schedule.name`.
    let name: String

    init(_ name: String, _ base: any LearningRateSchedule) {
        self.name = name
        self.base = base
    }

    var optimizer: any OptimizerProtocol { base.optimizer }
    var lastEpoch: Int { base.lastEpoch }
    var lastLRs: [Double] { base.lastLRs }
    func step() { base.step() }
    func step(toEpoch epoch: Int) { base.step(toEpoch: epoch) }
    func stateDict() -> ScheduleStateDict { base.stateDict() }

    func load(stateDict: ScheduleStateDict) throws {
        do {
            try base.load(stateDict: stateDict)
        } catch ScheduleStateError.hyperparameterMismatch(let parameter, let expected, let found) {
            throw mismatch(parameter, expected: expected, found: found ?? [])
        } catch ScheduleStateError.kindMismatch(let expected, let found) {
            throw ConfigError.invalidValue(
                path: "training.schedule",
                reason: "the run being resumed used a \(found) schedule, this config a \(expected) one; the schedule cannot change on resume (start a new run to change it)",
                location: nil)
        }
    }

    /// The config key behind a schedule hyperparameter, and what the two values mean.
    private func mismatch(_ parameter: String, expected: [Double], found: [Double]) -> ConfigError {
        let (saved, now) = (Self.format(found), Self.format(expected))
        var advice = "keep \(saved), or start a new run"
        let (key, what): (String, String) =
            switch (name, parameter) {
            case ("cosine", "T_max"):
                ("training.epochs", "the cosine schedule of the run being resumed spans \(saved) epochs, this config's \(now)")
            case ("onecycle", "total_steps"):
                ("training.epochs", "the one-cycle schedule of the run being resumed spans \(saved) steps, this config's \(now) (epochs × batches per epoch)")
            case (_, "eta_min"): ("training.schedule.min_lr", "the run being resumed has min_lr \(saved), this config \(now)")
            case (_, "step_size"): ("training.schedule.step_size", "the run being resumed has step_size \(saved), this config \(now)")
            case (_, "gamma"): ("training.schedule.gamma", "the run being resumed has gamma \(saved), this config \(now)")
            case (_, "max_lrs"): ("training.schedule.max_lr", "the run being resumed has max_lr \(saved), this config \(now)")
            case (_, "pct_start"): ("training.schedule.pct_start", "the run being resumed has pct_start \(saved), this config \(now)")
            default: ("training.schedule", "the \(name) schedule of the run being resumed has \(parameter) \(saved), this config's \(now)")
            }
        if parameter == "total_steps" { advice = "keep the epochs, batch_size and data of that run, or start a new run" }
        return ConfigError.invalidValue(
            path: key, reason: "\(what); \(key) cannot change on resume with a \(name) schedule (\(advice))", location: nil)
    }

    /// `3` for `[3.0]`, `[0.1, 0.2]` for a list.
    static func format(_ values: [Double]) -> String {
        let texts = values.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : "\($0)" }
        return texts.count == 1 ? texts[0] : "[\(texts.joined(separator: ", "))]"
    }
}
