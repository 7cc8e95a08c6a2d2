import Foundation
import Testing
@testable import TrainKitRegistry

/// ``SQLStudyStore`` on SQLite and, when `TRAINKIT_TEST_POSTGRES` is set, PostgreSQL: claims by several
/// connections at once, heartbeats, and the config check.
@Suite struct StudyStoreTests {
    /// The `--storage` value of a fresh location of `backend`.
    static func storage(_ backend: Backend, _ name: String = #function) throws -> String {
        switch try backend.freshLocation(name) {
        case .sqlite(let path): return "sqlite:" + path
        case .postgres(let url, _): return url
        }
    }

    @Test(.enabled(if: Backend.postgresURL != nil,
                   "TRAINKIT_TEST_POSTGRES is unset: the PostgreSQL study store tests did not run (run them with scripts/with-postgres swift test)"))
    func postgresStudyStoreIsReachable() throws {
        let store = try SQLStudyStore(location: try Self.storage(.postgres), study: "s", configHash: "h")
        defer { store.close() }
        #expect(try store.transaction { lines in (["one"], lines) }.isEmpty)
    }

    /// Six connections on six threads claim "trials" (the next number after every start line they have seen)
    /// until 60 are claimed: every number is claimed exactly once.
    @Test(arguments: Backend.available)
    func concurrentClaimersNeverClaimOneTrialTwice(_ backend: Backend) throws {
        let location = try Self.storage(backend)
        let budget = 60, workers = 6
        let claimed = ClaimLog()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                let store = try SQLStudyStore(location: location, study: "race", configHash: "h1")
                defer { store.close() }
                var seen = 0
                while true {
                    let number: Int? = try store.transaction { lines in
                        seen += lines.count
                        guard seen < budget else { return ([], nil) }
                        seen += 1
                        return (["start \(seen - 1) by \(worker)"], seen - 1)
                    }
                    guard let number else { break }
                    claimed.add(number, worker: worker)
                }
            } catch {
                claimed.fail(error)
            }
        }
        #expect(claimed.errors.isEmpty, "\(claimed.errors)")
        #expect(claimed.numbers.sorted() == Array(0..<budget), "claims: \(claimed.numbers.sorted())")
        let reader = try SQLStudyStore(location: location, study: "race", configHash: "h1")
        defer { reader.close() }
        let lines = try reader.transaction { lines in ([], lines) }
        #expect(lines.count == budget)
        #expect(Set(lines.map { $0.split(separator: " ")[1] }).count == budget)
    }

    @Test(arguments: Backend.available)
    func aWorkerWithAnotherConfigIsRefused(_ backend: Backend) throws {
        let location = try Self.storage(backend)
        let first = try SQLStudyStore(location: location, study: "adult", configHash: "aaaa")
        defer { first.close() }
        #expect(throws: StudyStoreError.configMismatch(study: "adult", store: location, stored: "aaaa", given: "bbbb")) {
            _ = try SQLStudyStore(location: location, study: "adult", configHash: "bbbb")
        }
        // Another study name in the same store is another study.
        let other = try SQLStudyStore(location: location, study: "adult-2", configHash: "bbbb")
        other.close()
        let same = try SQLStudyStore(location: location, study: "adult", configHash: "aaaa")
        same.close()
    }

    @Test(arguments: Backend.available)
    func heartbeatsAreMeasuredOnTheDatabaseClock(_ backend: Backend) throws {
        let store = try SQLStudyStore(location: try Self.storage(backend), study: "beats", configHash: "h")
        defer { store.close() }
        try store.beat(owner: "w1")
        Thread.sleep(forTimeInterval: 0.3)
        try store.beat(owner: "w2")
        let silence = try store.silence()
        #expect(Set(silence.keys) == ["w1", "w2"])
        #expect(silence["w1"]! >= 0.25 && silence["w1"]! < 30)
        #expect(silence["w2"]! >= -0.05 && silence["w2"]! < silence["w1"]!)
    }

    @Test func badLocationsAreNamed() {
        #expect(throws: StudyStoreError.invalidLocation("mysql://x")) {
            _ = try SQLStudyStore(location: "mysql://x", study: "s", configHash: "h")
        }
    }
}

/// Claims gathered from several threads.
private final class ClaimLog: @unchecked Sendable {
    private let lock = NSLock()
    private var claims: [(Int, Int)] = []
    private var failures: [String] = []
    func add(_ number: Int, worker: Int) { lock.withLock { claims.append((number, worker)) } }
    func fail(_ error: any Error) { lock.withLock { failures.append("\(error)") } }
    var numbers: [Int] { lock.withLock { claims.map(\.0) } }
    var errors: [String] { lock.withLock { failures } }
}
