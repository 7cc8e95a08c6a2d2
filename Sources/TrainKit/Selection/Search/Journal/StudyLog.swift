/// A study's trials rebuilt from its journal events (``JournalEvent``), in trial-number order.
struct StudyLog: Sendable {
    /// The study line: name, metric, direction and space the journal was written for.
    private(set) var header: JournalEvent?
    private(set) var trials: [TrialRecord] = []
    private var position: [Int: Int] = [:]
    /// Who claimed the summary of the study with so many finished trials (``JournalEvent/Kind/summary``).
    private(set) var summaries: [Int: TrialOwner] = [:]
    /// Restores parameter types after JSON (`2.0` reads back as an int); parameters outside it are kept as read.
    let space: SearchSpace?

    init(space: SearchSpace?) { self.space = space }

    /// Applies one event; returns a problem description when the event does not fit (and is ignored).
    mutating func apply(_ event: JournalEvent) -> String? {
        switch event.event {
        case .study:
            if header == nil { header = event }
            return nil
        case .summary:
            guard let finished = event.trial, let owner = event.owner else {
                return "a summary line without trial or owner"
            }
            if summaries[finished] == nil { summaries[finished] = owner }
            return nil
        case .start:
            guard let n = event.trial, let params = event.params, let seed = event.seed else {
                return "a start line without trial, params or seed"
            }
            guard position[n] == nil else { return "trial \(n) started twice; the second start is ignored" }
            position[n] = trials.count
            trials.append(
                TrialRecord(
                    number: n, params: space?.normalized(params) ?? params, seed: seed, retryOf: event.retryOf,
                    owner: event.owner,
                    started: event.time))
            if trials.count > 1 && trials[trials.count - 2].number > n {
                trials.sort { $0.number < $1.number }
                for (i, t) in trials.enumerated() { position[t.number] = i }
            }
            return nil
        case .report:
            guard let n = event.trial, let epoch = event.epoch, let value = event.value else {
                return "a report line without trial, epoch or value"
            }
            guard let i = position[n] else { return "a report for trial \(n), which never started" }
            trials[i].intermediate[epoch] = value
            return nil
        case .finish:
            guard let n = event.trial, let state = event.state else { return "a finish line without trial or state" }
            guard let i = position[n] else { return "a finish for trial \(n), which never started" }
            guard trials[i].state == .running else { return "trial \(n) finished twice; the second finish is ignored" }
            trials[i].state = state
            trials[i].value = event.value
            trials[i].metrics = event.metrics ?? [:]
            trials[i].error = event.error
            trials[i].interrupted = event.interrupted ?? false
            if let end = event.time, let start = trials[i].started { trials[i].duration = end - start }
            return nil
        }
    }

    func trial(_ number: Int) -> TrialRecord? { position[number].map { trials[$0] } }

    /// The next free trial number.
    var nextNumber: Int { (trials.last?.number ?? -1) + 1 }

    /// Trials that count toward the budget: all but interrupted ones (those are retried).
    var countedTrials: Int { trials.count { !$0.interrupted } }

    /// Trials no longer running.
    var finishedTrials: Int { trials.count { $0.isFinished } }

    /// How many times `trial`'s parameters have run: 1, plus one for each interrupted trial it retries.
    func attempts(_ trial: TrialRecord) -> Int {
        var count = 1
        var current = trial
        while let earlier = current.retryOf.flatMap({ self.trial($0) }), count <= trials.count {
            count += 1
            current = earlier
        }
        return count
    }

    /// Interrupted trials that no later trial retries yet, oldest first.
    var pendingRetries: [TrialRecord] {
        let retried = Set(trials.compactMap(\.retryOf))
        return trials.filter { $0.interrupted && !retried.contains($0.number) }
    }
}
