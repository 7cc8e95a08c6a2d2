import Foundation
import TrainKitCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hyperparameter search: trials drawn from a ``SearchSpace`` by a ``Sampler``, weak ones stopped early by a
/// ``Pruner``, all recorded as they run in an append-only journal so the study survives crashes and several
/// processes can work on it at once.
///
/// ```swift
/// let space = try SearchSpace(["lr": .logUniform(low: 1e-4, high: 1e-1), "width": .int(low: 8, high: 64, step: 8)])
/// let study = try Study(space: space, metric: "val_accuracy", sampler: TPESampler(seed: 0),
///                       pruner: ASHAPruner(maxResource: 9), journal: URL(fileURLWithPath: "runs/tune/study.jsonl"))
/// let result = try study.optimize(trials: 20, parallel: 2) { trial in ... return ["val_accuracy": acc] }
/// print(result.best!.params)
/// ```
///
/// **Budget.** `optimize(trials: n)` runs until the study holds `n` trials (every state except interrupted
/// ones), counting trials already in the journal and those other processes start: rerunning the same command
/// after a crash finishes the study instead of starting over. A grid sampler may end it sooner.
///
/// **Objective.** It returns metrics; the study's `metric` among them is the trial's value. A trial whose
/// objective throws is recorded as failed (with the error) and the study goes on; throwing ``TrialPruned``, or
/// returning after ``Trial/report(epoch:value:)`` answered true, records it as pruned with its last reported value.
///
/// **Crashes.** Every start, report and finish is a journal line written (and `fsync`ed) under a file lock,
/// or a row of a ``StudyStorage`` written in its transaction. While `optimize` runs, the study beats a heartbeat
/// (``heartbeatTimeout``). Before it claims each trial, trials still marked running whose worker is gone are
/// marked failed and interrupted, and their parameters are the next ones tried; a trial interrupted
/// ``maxRetries`` times already is marked failed for good instead (it counts toward the budget, and is not
/// retried). Gone means: this process but no live ``Study`` object owns the trial; with a journal file, the
/// same host and the pid is not alive, or another host whose heartbeat file is older than the timeout (another
/// host without one is left running); with a ``StudyStorage``, a worker silent for longer than the timeout.
/// Finished trials are never rerun.
///
/// **Workers.** Any number of processes on any machines may run `optimize` on one journal file (on a shared
/// filesystem) or one ``StudyStorage`` at once: each trial is claimed in a transaction, so no two run it. With
/// ``waitsForOtherWorkers``, a worker that finds the budget claimed stays until every trial has finished,
/// taking back those of workers that stop; ``claimSummary()`` then names one of them to write the summary.
///
/// **Threads.** `parallel: N` runs N trials at once on N new threads (`parallel: 1` runs them on the calling
/// thread); the global random stream is per thread, and each trial's thread is seeded with ``Trial/seed``
/// before its objective runs (the caller's stream is restored afterwards).
public final class Study: @unchecked Sendable {
    /// A label stored in the journal's first line.
    public let name: String
    /// The parameters searched.
    public let space: SearchSpace
    /// The key of the objective's metrics that ranks trials (e.g. `val_accuracy`).
    public let metric: String
    /// Whether `metric` is minimized or maximized.
    public let direction: SearchDirection
    /// Proposes each trial's parameters.
    public let sampler: any Sampler
    /// Stops weak trials early (nil: never).
    public let pruner: (any Pruner)?
    /// Seeds each trial's stream: trial `n` gets `mix(seed, n)`.
    public let seed: UInt64
    /// The journal file, if the study is stored in one.
    public var journalURL: URL? { (journal as? StudyJournal)?.url }
    /// Where the study is stored: the journal's path or the storage's location (nil: in memory only).
    public var storageLocation: String? { journal?.location }
    /// This study object's worker identity, as trials it runs record it.
    public var worker: TrialOwner { owner }

    /// How long a worker may go without a heartbeat before its running trials are taken back (seconds).
    public var heartbeatTimeout: Double = 60
    /// How many times an interrupted trial is retried before it is marked failed for good.
    public var maxRetries = 2
    /// Whether `optimize` waits, once the budget is claimed, for trials other workers are running, taking back
    /// those whose worker stops (set it when several processes share the study).
    public var waitsForOtherWorkers = false

    private let journal: (any StudyEventStore)?
    private let lock = NSLock()
    private var log: StudyLog
    private var logProblems: [String] = []
    private let owner: TrialOwner
    private var failure: Error?

    /// Opens a study, creating the journal at `journal` if missing or replaying it if present.
    /// - Parameters:
    ///   - metric: the objective's key that ranks trials.
    ///   - direction: nil infers it from `metric` (``SearchDirection/inferred(for:)``).
    ///   - journal: an append-only JSON-lines file (nil: in memory only, unless `storage` is given).
    ///   - storage: a store shared by processes on several machines, in place of `journal`.
    /// - Throws: ``SelectionError/journal(_:)`` when the file cannot be used or records another metric,
    ///   direction or space, or has lost its study line and holds trials of another space or metric
    ///   (``StudyLog/headerlessMismatch(space:metric:)``).
    public init(
        name: String = "study", space: SearchSpace, metric: String, direction: SearchDirection? = nil,
        sampler: any Sampler = RandomSampler(), pruner: (any Pruner)? = nil, seed: UInt64 = 0,
        journal: URL? = nil, storage: (any StudyStorage)? = nil
    ) throws {
        if journal != nil && storage != nil {
            throw SelectionError.invalidArgument("Study: give a journal file or a storage, not both")
        }
        self.name = name
        self.space = space
        self.metric = metric
        self.direction = direction ?? .inferred(for: metric)
        self.sampler = sampler
        self.pruner = pruner
        self.seed = seed
        self.journal = try storage.map { StoredStudyEvents($0) } ?? journal.map { try StudyJournal(url: $0) }
        self.log = StudyLog(space: space)
        self.owner = TrialOwner(host: Self.hostName, pid: getpid(), id: UUID().uuidString)
        LiveStudies.shared.insert(owner.id)
        let header = JournalEvent.study(name: name, metric: metric, direction: self.direction, space: space)
        try transaction { log in
            guard let existing = log.header else {
                if let mismatch = log.headerlessMismatch(space: space, metric: metric) {
                    throw SelectionError.journal(
                        "\(self.journal?.location ?? "") has no readable study line and \(mismatch); "
                            + "use another journal file")
                }
                return ([header], ())
            }
            guard existing.metric == metric, existing.direction == self.direction, existing.space == space else {
                let written =
                    "'\(existing.metric ?? "?")' (\(existing.direction?.rawValue ?? "?")) "
                    + "over \(existing.space?.paths ?? [])"
                let wanted = "'\(metric)' (\(self.direction.rawValue)) over \(space.paths)"
                throw SelectionError.journal(
                    "\(self.journal?.location ?? "") was written for metric \(written); this study has \(wanted); "
                        + "use another journal file")
            }
            return ([], ())
        }
    }

    deinit { LiveStudies.shared.remove(owner.id) }

    // MARK: - Reading

    /// Every trial so far (after reading what other processes appended), in number order.
    public var trials: [TrialRecord] {
        (try? transaction { log in ([], log.trials) }) ?? lock.withLock { log.trials }
    }

    /// Lines of the journal that were skipped (unreadable or truncated) and events that did not fit.
    public var problems: [String] { lock.withLock { (journal?.problems ?? []) + logProblems } }

    /// The complete trial with the best value (ties: the earliest).
    public var bestTrial: TrialRecord? { StudyResult.best(of: trials, direction: direction) }

    /// The result: best parameters and metrics, and every trial.
    public func result() -> StudyResult {
        StudyResult(metric: metric, direction: direction, trials: trials)
    }

    /// `base` with the best trial's parameters written in (``SearchSpace/apply(_:to:)``): a config ready to
    /// train. Nil before any trial completes.
    public func bestConfiguration(base: [String: Any]) -> [String: Any]? {
        bestTrial.map { SearchSpace.apply($0.params, to: base) }
    }

    // MARK: - Running

    /// Runs trials until the study holds `trials` of them (see the budget note above), `parallel` at a time.
    /// - Returns: the result over every trial of the study.
    /// - Throws: journal errors (trial errors are recorded, not thrown).
    @discardableResult
    public func optimize(
        trials budget: Int, parallel: Int = 1,
        objective: @escaping @Sendable (Trial) throws -> [String: Double]
    ) throws -> StudyResult {
        guard budget >= 0 else {
            throw SelectionError.invalidArgument("Study.optimize: trials must be >= 0, got \(budget)")
        }
        guard parallel >= 1 else {
            throw SelectionError.invalidArgument("Study.optimize: parallel must be >= 1, got \(parallel)")
        }
        lock.withLock { failure = nil }
        let heartbeat = try Heartbeat.start(study: self)
        defer { heartbeat?.stop() }
        try recoverInterruptedTrials()
        if parallel == 1 {
            let position = Random.position  // trials reseed this thread's stream; give the caller its own back
            runWorker(budget: budget, objective: objective)
            Random.position = position
        } else {
            let group = DispatchGroup()
            for _ in 0..<parallel {
                group.enter()
                let thread = Thread { [self] in
                    runWorker(budget: budget, objective: objective)
                    group.leave()
                }
                thread.stackSize = 16 << 20
                thread.start()
            }
            group.wait()
        }
        if let error = lock.withLock({ failure }) { throw error }
        return result()
    }

    /// Marks running trials whose worker is gone as failed and interrupted (their parameters are retried), or
    /// as failed for good after ``maxRetries`` retries. `optimize` calls this before each trial. Returns the
    /// numbers of the trials marked.
    @discardableResult
    public func recoverInterruptedTrials() throws -> [Int] {
        let silence = try journal?.silence() ?? [:]
        let complete = journal?.heartbeatsAreComplete ?? false
        let timeout = heartbeatTimeout, retries = maxRetries
        return try transaction { log in
            let now = Date().timeIntervalSince1970
            let dead = log.trials.filter {
                $0.state == .running
                    && !Self.isAlive($0, silence: silence, heartbeatsAreComplete: complete, timeout: timeout, now: now)
            }
            let events = dead.map { t in
                let process = t.owner.map { "\($0.host) pid \($0.pid)" } ?? "unknown"
                let attempts = log.attempts(t)
                guard attempts <= retries else {
                    return JournalEvent.finish(
                        t.number, state: .failed, value: nil, metrics: nil,
                        error: "interrupted \(attempts) times (last: its process \(process) stopped while it ran); "
                            + "not retried again", time: now)
                }
                return JournalEvent.finish(
                    t.number, state: .failed, value: nil, metrics: nil,
                    error: "interrupted: its process (\(process)) stopped while it ran", interrupted: true, time: now)
            }
            return (events, dead.map(\.number))
        }
    }

    /// Claims the writing of the study's summary (best config, reports) for this worker: true for the first
    /// worker that asks once the study's current trials have finished, false for every other (and while a
    /// trial still runs). A study that runs more trials later can be claimed again.
    public func claimSummary() throws -> Bool {
        try transaction { log in
            guard log.trials.allSatisfy(\.isFinished) else { return ([], false) }
            let finished = log.finishedTrials
            if let holder = log.summaries[finished] { return ([], holder == owner) }
            return ([.summary(finished: finished, owner: owner, time: Date().timeIntervalSince1970)], true)
        }
    }

    /// Who claimed the summary of the study as it stands (nil: nobody yet).
    public var summaryWriter: TrialOwner? {
        (try? transaction { log in ([], log.summaries[log.finishedTrials]) }) ?? nil
    }

    /// Records a heartbeat for this worker (``Heartbeat`` calls it).
    func beat() throws { try journal?.beat(owner: owner.id) }

    private func runWorker(budget: Int, objective: @Sendable (Trial) throws -> [String: Double]) {
        while lock.withLock({ failure == nil }) {
            let trial: Trial?
            do {
                if journal != nil { try recoverInterruptedTrials() }
                trial = try startTrial(budget: budget)
            } catch {
                record(error)
                return
            }
            guard let trial else {
                guard waitsForOtherWorkers, othersAreRunning() else { return }
                Thread.sleep(forTimeInterval: Swift.min(1, Swift.max(0.05, heartbeatTimeout / 4)))
                continue
            }
            Random.seed(trial.seed)
            let outcome: JournalEvent
            let now = { Date().timeIntervalSince1970 }
            do {
                let metrics = try objective(trial)
                if trial.isPruned {
                    outcome = .finish(
                        trial.number, state: .pruned, value: trial.lastReported?.value, metrics: metrics, error: nil,
                        time: now())
                } else if let value = metrics[metric] {
                    outcome = .finish(
                        trial.number, state: .complete, value: value, metrics: metrics, error: nil, time: now())
                } else {
                    let keys = metrics.keys.sorted().joined(separator: ", ")
                    outcome = .finish(
                        trial.number, state: .failed, value: nil, metrics: metrics,
                        error: "the objective returned no '\(metric)' (it returned: \(keys))", time: now())
                }
            } catch is TrialPruned {
                outcome = .finish(
                    trial.number, state: .pruned, value: trial.lastReported?.value, metrics: nil, error: nil,
                    time: now())
            } catch {
                outcome = .finish(
                    trial.number, state: .failed, value: nil, metrics: nil, error: "\(error)", time: now())
            }
            do { try transaction { _ in ([outcome], ()) } } catch {
                record(error)
                return
            }
        }
    }

    /// Whether a trial of another worker still runs (it may yet be taken back and retried here).
    private func othersAreRunning() -> Bool {
        trials.contains { $0.state == .running && $0.owner?.id != owner.id }
    }

    /// Under the lock: the next trial's number and parameters (a pending retry first), or nil when the budget is
    /// spent or the sampler has nothing left.
    private func startTrial(budget: Int) throws -> Trial? {
        try transaction { log in
            guard log.countedTrials < budget else { return ([], nil) }
            let number = log.nextNumber
            let retry = log.pendingRetries.first
            let params =
                retry?.params
                ?? sampler.sample(space: space, trialNumber: number, trials: log.trials, direction: direction)
            guard let params else { return ([], nil) }
            let trialSeed = mixSeed(seed, UInt64(number))
            let event = JournalEvent.start(
                number, params: params, seed: trialSeed, owner: owner, retryOf: retry?.number,
                time: Date().timeIntervalSince1970)
            return (
                [event], Trial(number: number, params: params, seed: trialSeed, retryOf: retry?.number, study: self)
            )
        }
    }

    /// Records a report and asks the pruner (called by ``Trial/report(epoch:value:)``).
    func report(trial number: Int, epoch: Int, value: Double) -> Bool {
        do {
            return try transaction { log in
                let event = JournalEvent.report(number, epoch: epoch, value: value)
                guard let pruner, var record = log.trial(number) else { return ([event], false) }
                record.intermediate[epoch] = value
                let others = log.trials.map { $0.number == number ? record : $0 }
                return ([event], pruner.shouldPrune(trial: record, epoch: epoch, trials: others, direction: direction))
            }
        } catch {
            record(error)
            return true
        }
    }

    private func record(_ error: Error) {
        lock.withLock { if failure == nil { failure = error } }
    }

    /// Runs `body` on the current log with the study (and journal) locked, after replaying new journal lines;
    /// appends and applies the events `body` returns.
    private func transaction<T>(_ body: (StudyLog) throws -> (append: [JournalEvent], result: T)) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let (append, result): ([JournalEvent], T)
        if let journal {
            (append, result) = try journal.transaction { newEvents in
                for event in newEvents { if let p = log.apply(event) { logProblems.append(p) } }
                let out = try body(log)
                return (out.append, out)
            }
        } else {
            (append, result) = try body(log)
        }
        for event in append { if let p = log.apply(event) { logProblems.append(p) } }
        return result
    }

    // MARK: - Owners

    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Whether a trial's worker may still be running it (see "Crashes" above). `silence` holds the seconds since
    /// each worker's last heartbeat; `heartbeatsAreComplete` says that a worker without one runs nothing.
    static func isAlive(
        _ trial: TrialRecord, silence: [String: Double], heartbeatsAreComplete: Bool, timeout: Double, now: Double
    ) -> Bool {
        guard let owner = trial.owner else { return false }
        if owner.host == hostName && owner.pid == getpid() { return LiveStudies.shared.contains(owner.id) }
        if heartbeatsAreComplete {
            if let quiet = silence[owner.id] { return quiet <= timeout }
            return now - (trial.started ?? 0) <= timeout  // claimed before its first beat reached us
        }
        guard owner.host == hostName else { return silence[owner.id].map { $0 <= timeout } ?? true }
        return kill(owner.pid, 0) == 0 || errno == EPERM
    }
}

/// The ids of the Study objects alive in this process (to tell a crashed earlier run from a live neighbour).
private final class LiveStudies: @unchecked Sendable {
    static let shared = LiveStudies()
    private let lock = NSLock()
    private var ids: Set<String> = []
    func insert(_ id: String) { lock.withLock { _ = ids.insert(id) } }
    func remove(_ id: String) { lock.withLock { _ = ids.remove(id) } }
    func contains(_ id: String) -> Bool { lock.withLock { ids.contains(id) } }
}
