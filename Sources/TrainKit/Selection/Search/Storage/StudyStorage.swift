import Foundation

/// Where a ``Study`` keeps its journal when several processes, possibly on several machines, work on it: a
/// database that serializes the study's transactions and remembers which worker was last seen when.
///
/// The storage holds the same JSON lines as the journal file (``Study``'s `journal:`), one per event, in the
/// order they were appended; it does not read them. TrainKit's SQL store (SQLite file or PostgreSQL server,
/// `trainkit tune --storage`) conforms; so can any store that offers the three operations below.
///
/// **Claims.** ``transaction(_:)`` is the only way to change the study, and the storage runs one at a time per
/// study, across every process and machine: each decision (the next trial number, a retry) sees every line
/// appended before it, so two workers never start the same trial.
///
/// **Heartbeats.** A worker calls ``beat(owner:)`` every few seconds while it runs trials; ``silence()`` tells
/// how long ago each worker last did, by the storage's clock (so the workers' clocks need not agree). A trial
/// whose owner has been silent past the study's timeout is taken back and retried (``Study``, "Crashes").
public protocol StudyStorage: AnyObject, Sendable {
    /// How the storage is named in messages (a path, or a URL without its password).
    var location: String { get }
    /// Runs `body` with the study locked against every other writer: `body` gets the lines appended since this
    /// object's previous transaction (all of them the first time), in order, and returns the lines to append and
    /// a result. The new lines are stored, atomically, only when `body` returns.
    func transaction<T>(_ body: ([String]) throws -> (append: [String], result: T)) throws -> T
    /// Records that the worker `owner` (a ``TrialOwner/id``) is alive now.
    func beat(owner: String) throws
    /// Seconds since each worker of the study last beat, by worker id.
    func silence() throws -> [String: Double]
}
