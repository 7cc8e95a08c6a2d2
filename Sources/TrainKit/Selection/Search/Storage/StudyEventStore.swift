import Foundation

/// What a ``Study`` needs of the place its events live: the journal file (``StudyJournal``) or a
/// ``StudyStorage`` (``StoredStudyEvents``).
protocol StudyEventStore: AnyObject, Sendable {
    /// A path or URL for messages.
    var location: String { get }
    /// Lines skipped because they could not be read.
    var problems: [String] { get }
    /// Every worker beats before it claims a trial, so a worker with no heartbeat is not running one (true for a
    /// ``StudyStorage``; false for a journal file, which older runs wrote without heartbeats).
    var heartbeatsAreComplete: Bool { get }
    /// Runs `body` with the study locked: it gets the events appended since the last transaction and returns
    /// the events to append and a result.
    func transaction<T>(_ body: ([JournalEvent]) throws -> (append: [JournalEvent], result: T)) throws -> T
    /// Records that worker `owner` is alive now.
    func beat(owner: String) throws
    /// Seconds since each worker last beat, by worker id.
    func silence() throws -> [String: Double]
}

/// A ``StudyStorage`` seen as events: lines encoded and decoded as ``JournalEvent``s, unreadable lines reported
/// in ``problems`` and skipped.
final class StoredStudyEvents: StudyEventStore, @unchecked Sendable {
    let storage: any StudyStorage
    private let lock = NSLock()
    private var lineNumber = 0
    private var unreadable: [String] = []

    init(_ storage: any StudyStorage) { self.storage = storage }

    var location: String { storage.location }
    var problems: [String] { lock.withLock { unreadable } }
    var heartbeatsAreComplete: Bool { true }

    func transaction<T>(_ body: ([JournalEvent]) throws -> (append: [JournalEvent], result: T)) throws -> T {
        try storage.transaction { lines in
            let decoder = JournalEvent.decoder
            var events: [JournalEvent] = []
            for line in lines {
                let number = lock.withLock { lineNumber += 1; return lineNumber }
                do {
                    events.append(try decoder.decode(JournalEvent.self, from: Data(line.utf8)))
                } catch {
                    let problem = "\(storage.location): line \(number): unreadable line ignored "
                        + "(\(JournalEvent.describe(error)))"
                    lock.withLock { unreadable.append(problem) }
                }
            }
            let (append, result) = try body(events)
            let encoder = JournalEvent.encoder
            let lines = try append.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            lock.withLock { lineNumber += lines.count }
            return (lines, result)
        }
    }

    func beat(owner: String) throws { try storage.beat(owner: owner) }
    func silence() throws -> [String: Double] { try storage.silence() }
}
