import Foundation
import Testing

@testable import TrainKit

/// A ``StudyStorage`` in memory: the lines in order, and a silence for each worker that the test sets. Each
/// ``view()`` is one worker's connection (its own read position) to the same lines.
private final class MemoryStorage: StudyStorage, @unchecked Sendable {
    let lock: NSLock
    private let shared: Shared
    private var position = 0
    var location: String { "memory" }

    final class Shared: @unchecked Sendable {
        var lines: [String] = []
        var silences: [String: Double] = [:]
    }

    init() { (lock, shared) = (NSLock(), Shared()) }
    private init(lock: NSLock, shared: Shared) { (self.lock, self.shared) = (lock, shared) }

    /// Another worker's connection to the same study.
    func view() -> MemoryStorage { MemoryStorage(lock: lock, shared: shared) }

    var lines: [String] {
        get { lock.withLock { shared.lines } }
        set { lock.withLock { shared.lines = newValue } }
    }
    var silences: [String: Double] {
        get { lock.withLock { shared.silences } }
        set { lock.withLock { shared.silences = newValue } }
    }

    func transaction<T>(_ body: ([String]) throws -> (append: [String], result: T)) throws -> T {
        try lock.withLock {
            let (append, result) = try body(Array(shared.lines[position...]))
            shared.lines += append
            position = shared.lines.count
            return result
        }
    }

    func beat(owner: String) throws { lock.withLock { shared.silences[owner] = 0 } }
    func silence() throws -> [String: Double] { lock.withLock { shared.silences } }

    /// Every line, decoded.
    func events() -> [[String: Any]] {
        lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
}

@Suite struct StudyStorageTests {
    static let space = try! SearchSpace(["x": .uniform(low: 0, high: 1)])

    /// The start line of trial `number` by a worker on another host, `ghost`, that is not beating.
    static func ghostStart(_ number: Int, x: Double, retryOf: Int? = nil) -> String {
        let retry = retryOf.map { ",\"retry_of\":\($0)" } ?? ""
        return #"{"event":"start","owner":{"host":"elsewhere","id":"ghost","pid":7},"params":{"x":"# + "\(x)"
            + #"},"seed":1,"time":0,"trial":"# + "\(number)\(retry)}"
    }

    /// A trial whose worker (another host) has been silent past the timeout is retried with its parameters,
    /// and the study ends with its budget of counted trials.
    @Test func aSilentWorkersTrialIsRetried() throws {
        let storage = MemoryStorage()
        let study = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), storage: storage)
        storage.lines.append(Self.ghostStart(0, x: 0.25))
        storage.silences["ghost"] = 120
        study.heartbeatTimeout = 60
        study.waitsForOtherWorkers = true
        let result = try study.optimize(trials: 3) { t in ["loss": t.double("x")] }
        #expect(result.trials.count == 4)
        #expect(result.trials[0].interrupted && result.trials[0].state == .failed)
        let retry = try #require(result.trials.first { $0.retryOf == 0 })
        #expect(retry.params["x"] == .double(0.25) && retry.state == .complete)
        #expect(result.trials.count { $0.state == .complete } == 3)
        #expect(storage.silences[study.worker.id] != nil, "the study beat its heartbeat")
    }

    /// A worker still beating keeps its trial: a waiting worker does not take it back. (Here the ghost's trial
    /// is then finished by the test, as its worker would.)
    @Test func aBeatingWorkersTrialIsLeftToIt() throws {
        let storage = MemoryStorage()
        let study = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), storage: storage)
        storage.lines.append(Self.ghostStart(0, x: 0.5))
        storage.silences["ghost"] = 1
        study.heartbeatTimeout = 60
        study.waitsForOtherWorkers = true
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
            storage.lines.append(#"{"event":"finish","state":"complete","trial":0,"value":0.5,"metrics":{"loss":0.5},"time":1}"#)
        }
        let result = try study.optimize(trials: 2) { t in ["loss": t.double("x")] }
        #expect(result.trials.count == 2 && result.trials.allSatisfy { $0.state == .complete && !$0.interrupted })
        #expect(result.trials[0].value == 0.5)
    }

    /// After `maxRetries` retries an interrupted trial is marked failed for good: it counts toward the budget and
    /// is not tried again.
    @Test func aTrialInterruptedTooOftenFails() throws {
        let storage = MemoryStorage()
        storage.lines = [
            Self.ghostStart(0, x: 0.75),
            #"{"event":"finish","state":"failed","trial":0,"interrupted":true,"error":"interrupted","time":1}"#,
            Self.ghostStart(1, x: 0.75, retryOf: 0),
        ]
        storage.silences["ghost"] = 999
        let study = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), storage: storage)
        study.maxRetries = 1
        let result = try study.optimize(trials: 2) { t in ["loss": t.double("x")] }
        let second = try #require(result.trials.first { $0.number == 1 })
        #expect(second.state == .failed && !second.interrupted)
        #expect(second.error?.contains("interrupted 2 times") == true)
        #expect(!result.trials.contains { $0.retryOf == 1 })
        #expect(result.trials.count == 3 && result.trials.count { $0.state == .complete } == 1)
    }

    /// The summary goes to the first worker that asks once every trial has finished, and to it only.
    @Test func oneWorkerClaimsTheSummary() throws {
        let storage = MemoryStorage()
        let a = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), storage: storage)
        let b = try Study(space: Self.space, metric: "loss", sampler: RandomSampler(seed: 1), storage: storage.view())
        try a.optimize(trials: 2) { t in ["loss": t.double("x")] }
        try b.optimize(trials: 4) { t in ["loss": t.double("x")] }
        #expect(a.trials.count == 4, "a sees b's trials")
        #expect(try b.claimSummary())
        #expect(try !a.claimSummary())
        #expect(try b.claimSummary(), "asking again is still the same worker")
        #expect(storage.events().count { $0["event"] as? String == "summary" } == 1)
        #expect(a.summaryWriter == b.worker)
    }
}
