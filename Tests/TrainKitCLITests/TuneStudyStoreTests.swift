import Foundation
import Testing
import TrainKit

@testable import TrainKitCLICore
@testable import TrainKitRegistry

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the shared-study tests keep their study: a SQLite file always, and PostgreSQL when
/// `TRAINKIT_TEST_POSTGRES` is set (`scripts/with-postgres`); then a PostgreSQL failure fails the tests.
enum StudyStoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURL: String? = ProcessInfo.processInfo.environment["TRAINKIT_TEST_POSTGRES"]
        .flatMap { $0.isEmpty ? nil : $0 }
    static let available: [StudyStoreBackend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    /// A fresh `--storage` value: a new SQLite file, or a new schema of the test server.
    func freshStorage(in directory: URL) throws -> String {
        switch self {
        case .sqlite:
            return "sqlite:" + directory.appendingPathComponent("studies.db").path
        case .postgres:
            let base = try #require(Self.postgresURL)
            let schema = "s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try PostgresDatabase(url: base)
            try admin.script("CREATE SCHEMA \(schema)")
            admin.close()
            return "\(base)\(base.contains("?") ? "&" : "?")options=-csearch_path%3D\(schema)"
        }
    }
}

/// The journal events a shared store holds for every study, in order.
func storedEvents(_ storage: String) throws -> [[String: Any]] {
    let db = try SQLStudyStore.connect(storage)
    defer { db.close() }
    return try db.query("SELECT line FROM study_lines ORDER BY id").map { try jsonObject($0[0] ?? "") }
}

/// `trainkit tune --storage` with several worker processes: each trial runs once, a killed worker's trial is
/// retried or failed, a worker with another config is refused.
@Suite(.serialized) struct TuneStudyStoreTests {
    static let budget = 6

    /// `tune CONFIG --trials N --sampler random --storage S --json` plus `extra`.
    static func arguments(_ config: String, storage: String, output: URL, trials: Int = budget,
                          _ extra: [String] = []) -> [String] {
        ["tune", config, "--trials", "\(trials)", "--sampler", "random", "--storage", storage, "--json",
         "--set", "output=\(output.path)"] + extra
    }

    static func config(in directory: URL) throws -> String {
        try write(tuneConfig(output: directory.appendingPathComponent("unused"), epochs: 2,
                             lr: "{tune: loguniform, low: 1e-4, high: 1e-1}"), to: "tune.yaml", in: directory)
    }

    /// Three workers share a study of six trials: every trial starts and finishes exactly once, one worker
    /// writes best.yaml, and the best trial is the one a single process finds.
    @Test(arguments: StudyStoreBackend.available)
    func studyStoreWorkersRunEachTrialOnce(_ backend: StudyStoreBackend) throws {
        let dir = try temporaryDirectory()
        let config = try Self.config(in: dir)
        let storage = try backend.freshStorage(in: dir)
        let workers = try (0..<3).map { i in
            try TrainkitProcess(Self.arguments(config, storage: storage, output: dir.appendingPathComponent("w\(i)")),
                                logs: dir, name: "w\(i)")
        }
        for worker in workers { #expect(worker.wait() == 0, "\(worker.diagnostics)") }
        let events = try storedEvents(storage)
        let starts = events.filter { $0["event"] as? String == "start" }.compactMap { $0["trial"] as? Int }
        let finishes = events.filter { $0["event"] as? String == "finish" }.compactMap { $0["trial"] as? Int }
        #expect(starts.sorted() == Array(0..<Self.budget))
        #expect(finishes.sorted() == Array(0..<Self.budget))
        // Which workers ran trials depends on timing (a fast worker may claim them all); which ran each is recorded.
        #expect(events.filter { $0["event"] as? String == "start" }.allSatisfy { $0["owner"] != nil })
        let writers = (0..<3).filter {
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("w\($0)/best.yaml").path)
        }
        #expect(writers.count == 1, "best.yaml written by workers \(writers)")
        #expect(events.filter { $0["event"] as? String == "summary" }.count == 1)

        let single = trainkit(["tune", config, "--trials", "\(Self.budget)", "--sampler", "random", "--json",
                               "--set", "output=\(dir.appendingPathComponent("single").path)"])
        #expect(single.status == 0, "\(single.diagnostics)")
        let writer = try #require(writers.first)
        let shared = try jsonObject(try String(contentsOf: dir.appendingPathComponent("w\(writer).out"), encoding: .utf8))
        let alone = try jsonObject(single.output)
        #expect(key(try #require(shared["best"] as? [String: Any])) == key(try #require(alone["best"] as? [String: Any])))
        #expect(Set(try trials(shared).map(key)) == Set(try trials(alone).map(key)))
    }

    /// A worker killed (SIGKILL) as its first trial starts: another worker, finding it silent past the
    /// heartbeat timeout, retries the trial (or, with `--max-retries 0`, marks it failed) and ends the study.
    @Test(arguments: StudyStoreBackend.available, [2, 0])
    func studyStoreKilledWorkersTrialIsRetriedOrFailed(_ backend: StudyStoreBackend, retries: Int) throws {
        let dir = try temporaryDirectory()
        let config = try Self.config(in: dir)
        let storage = try backend.freshStorage(in: dir)
        let extra = ["--heartbeat-timeout", "1", "--max-retries", "\(retries)"]
        let victim = try TrainkitProcess(
            Self.arguments(config, storage: storage, output: dir.appendingPathComponent("victim"), extra),
            logs: dir, name: "victim", environment: [TuneTestHook.variable: "0"])
        victim.wait()
        #expect(victim.process.terminationReason == .uncaughtSignal && victim.process.terminationStatus == SIGKILL)
        var events = try storedEvents(storage)
        #expect(events.filter { $0["event"] as? String == "start" }.count == 1)
        #expect(events.filter { $0["event"] as? String == "finish" }.isEmpty, "the victim died mid-trial")

        let survivor = try TrainkitProcess(
            Self.arguments(config, storage: storage, output: dir.appendingPathComponent("survivor"), extra),
            logs: dir, name: "survivor")
        #expect(survivor.wait() == 0, "\(survivor.diagnostics)")
        events = try storedEvents(storage)
        let finishes = events.filter { $0["event"] as? String == "finish" }
        let first = try #require(finishes.first { $0["trial"] as? Int == 0 })
        #expect(first["state"] as? String == "failed")
        #expect((first["error"] as? String)?.contains("interrupted") == true)
        let result = try jsonObject(try String(contentsOf: survivor.stdout, encoding: .utf8))
        let all = try trials(result)
        if retries > 0 {
            #expect(first["interrupted"] as? Bool == true)
            let retry = try #require(all.first { $0["retry_of"] as? Int == 0 })
            #expect(retry["state"] as? String == "complete")
            #expect(key(retry) == key(try #require(all.first { $0["number"] as? Int == 0 })))
            #expect(all.count { $0["state"] as? String == "complete" } == Self.budget)
        } else {
            #expect(first["interrupted"] == nil)
            #expect(!all.contains { $0["retry_of"] != nil })
            #expect(all.count { $0["state"] as? String == "complete" } == Self.budget - 1)
        }
        #expect(all.count { ($0["interrupted"] as? Bool) != true } == Self.budget)
    }

    /// A worker whose config or options differ from the study's is refused before any trial, naming why.
    @Test(arguments: StudyStoreBackend.available)
    func studyStoreRefusesAWorkerWithAnotherConfig(_ backend: StudyStoreBackend) throws {
        let dir = try temporaryDirectory()
        let config = try Self.config(in: dir)
        let storage = try backend.freshStorage(in: dir)
        let first = trainkit(Self.arguments(config, storage: storage, output: dir.appendingPathComponent("a"), trials: 2))
        #expect(first.status == 0, "\(first.diagnostics)")
        let other = trainkit(Self.arguments(config, storage: storage, output: dir.appendingPathComponent("b"), trials: 2,
                                            ["--set", "training.epochs=3"]))
        #expect(other.status != 0)
        #expect(other.diagnostics.contains("was started with another config"), "\(other.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("b/best.yaml").path))
        let renamed = trainkit(Self.arguments(config, storage: storage, output: dir.appendingPathComponent("c"), trials: 2,
                                              ["--set", "training.epochs=3", "--study", "epochs3"]))
        #expect(renamed.status == 0, "\(renamed.diagnostics)")
    }
}
