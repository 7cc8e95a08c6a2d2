import Foundation

/// The thread that beats a ``Study``'s heartbeat while `optimize` runs: once at start (before any trial is
/// claimed), then every quarter of ``Study/heartbeatTimeout`` (at most every 10 s), until stopped. Studies in a
/// ``StudyStorage`` always beat; those in a journal file only with ``Study/waitsForOtherWorkers`` (a study of
/// one process leaves no heartbeat files).
///
/// A beat that fails (the database unreachable for a moment) is retried at the next tick; if they keep
/// failing, other workers take this worker's trials back once the timeout passes, and its own finish lines are
/// then ignored as second finishes.
final class Heartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var finished = false

    /// Beats once and starts the thread; nil for a study that does not beat.
    static func start(study: Study) throws -> Heartbeat? {
        guard study.storageLocation != nil, study.journalURL == nil || study.waitsForOtherWorkers else { return nil }
        try study.beat()
        let heartbeat = Heartbeat()
        let interval = Swift.min(10, Swift.max(0.05, study.heartbeatTimeout / 4))
        let thread = Thread { [weak study] in
            while heartbeat.wait(interval) {
                guard let study else { break }
                try? study.beat()
            }
            heartbeat.condition.withLock {
                heartbeat.finished = true
                heartbeat.condition.broadcast()
            }
        }
        thread.start()
        return heartbeat
    }

    /// Waits `seconds` or until stopped; false once stopped.
    private func wait(_ seconds: Double) -> Bool {
        condition.withLock {
            let deadline = Date().addingTimeInterval(seconds)
            while !stopped && condition.wait(until: deadline) {}
            return !stopped
        }
    }

    /// Stops the thread and waits for it to end.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while !finished { condition.wait() }
        }
    }
}
