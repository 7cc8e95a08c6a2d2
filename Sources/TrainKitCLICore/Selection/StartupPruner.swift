import TrainKit

/// A pruner that stays silent until `startupTrials` trials of the study have completed, then defers to `base`
/// (Optuna's `n_startup_trials`).
///
/// ASHA alone promotes a trial at a rung only if it ranks in the top `1/η` of the values reported there so
/// far; in a small study the first trial sets the bar at every rung, and nearly every later trial is stopped
/// at the first rung, after one noisy epoch. Letting the start-up trials run in full gives the rungs reference
/// values and the sampler complete trials to learn from (TPE also ranks pruned trials, but only below every
/// complete one).
struct StartupPruner: Pruner {
    var base: any Pruner
    var startupTrials: Int

    func shouldPrune(trial: TrialRecord, epoch: Int, trials: [TrialRecord], direction: SearchDirection) -> Bool {
        guard trials.count(where: { $0.state == .complete }) >= startupTrials else { return false }
        return base.shouldPrune(trial: trial, epoch: epoch, trials: trials, direction: direction)
    }
}
