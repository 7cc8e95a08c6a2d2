extension StudyLog {
    /// Why the trials of a journal with no readable study line (lost, or torn by a crash during the very first
    /// write) cannot belong to a study over `space` ranked by `metric`; nil when they can, or when there are none.
    ///
    /// The rule: every trial's parameters lie in `space` (the same paths, each value in its distribution), and
    /// every complete trial's value is its `metric` (a study stores the ranked metric as the value). A journal
    /// that passes is adopted, and the study line is written again; one that fails is refused like a journal
    /// whose study line names another metric or space.
    func headerlessMismatch(space: SearchSpace, metric: String) -> String? {
        for trial in trials {
            guard space.normalized(trial.params) != nil else {
                return "trial \(trial.number) has parameters \(trial.params.keys.sorted()) outside this study's "
                    + "space over \(space.paths)"
            }
            guard trial.state == .complete, let value = trial.value else { continue }
            let ranked = trial.metrics[metric]
            guard let ranked, ranked == value || (ranked.isNaN && value.isNaN) else {
                return "trial \(trial.number) was ranked by another metric than '\(metric)'"
            }
        }
        return nil
    }
}
