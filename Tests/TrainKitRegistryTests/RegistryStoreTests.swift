import Foundation
import Testing
@testable import TrainKitRegistry

/// Every test here runs against SQLite and, when `TRAINKIT_TEST_POSTGRES` is set, against PostgreSQL.
@Suite struct RegistryStoreTests {
    @Test(.enabled(if: Backend.postgresURL != nil,
                   "TRAINKIT_TEST_POSTGRES is unset: the PostgreSQL store tests did not run (run them with scripts/with-postgres swift test)"))
    func postgresStoreIsReachable() throws {
        let store = try Backend.postgres.freshLocation().open()
        defer { store.close() }
        #expect(try store.models().isEmpty)
    }

    @Test(arguments: Backend.available)
    func registerRecordsEverythingAndCopiesArtifacts(_ backend: Backend) throws {
        let store = try backend.freshLocation().open()
        defer { store.close() }
        let run = try fakeRun("first")
        let one = try store.register(draft("wine", metrics: ["test_accuracy": 0.81, "test_loss": 0.5]), from: run)
        let two = try store.register(draft("wine", metrics: ["test_accuracy": 0.84], parent: try ModelReference(parsing: "wine@1")),
                                     from: try fakeRun("second"))
        #expect(one.version == 1 && two.version == 2)
        let read = try store.resolve(ModelReference(parsing: "wine@1"))
        #expect(read.metrics == ["test_accuracy": 0.81, "test_loss": 0.5])
        #expect(read.params == "seed: 0\nmodel: {kind: mlp}\n")
        #expect(read.dataHashes["test: /data/test.csv"] == "22bb")
        #expect(read.inputSchema == ["a", "b", "c"] && read.testData == "file:abc" && read.parent == nil)
        #expect(try store.resolve(ModelReference(parsing: "wine")).parent == "wine@1")
        let folder = try store.modelFolder(read)
        for file in ["model/model.json", "model/weights.safetensors", "metrics.json"] {
            let copied = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(copied == (try Data(contentsOf: run.appendingPathComponent(file))), "\(file) differs from the run's")
        }
        #expect(try store.modelFolder(two) != folder)
        #expect(try store.events(of: "wine").map(\.action) == ["register", "register"])
        #expect(try store.models() == [ModelSummary(name: "wine", versions: 2, latest: 2, aliases: [:])])
    }

    @Test(arguments: Backend.available)
    func referencesResolveVersionsAliasesAndNameNothingClearly(_ backend: Backend) throws {
        let store = try backend.freshLocation().open()
        defer { store.close() }
        for accuracy in [0.7, 0.8, 0.9] { _ = try store.register(draft("m", metrics: ["acc": accuracy]), from: try fakeRun()) }
        try store.setAlias("candidate", to: ModelReference(parsing: "m@2"), user: "u")
        #expect(try store.resolve(ModelReference(parsing: "m@candidate")).version == 2)
        #expect(try store.resolve(ModelReference(parsing: "m@latest")).version == 3)
        #expect(try store.resolve(ModelReference(parsing: "m")).metrics["acc"] == 0.9)
        #expect(try store.resolve(ModelReference(parsing: "m@2")).aliases == ["candidate"])
        #expect(throws: RegistryError.unknownAlias(name: "m", alias: "production", known: ["candidate"], store: store.label)) {
            try store.resolve(ModelReference(parsing: "m@production"))
        }
        #expect(throws: RegistryError.unknownVersion(name: "m", version: 9, store: store.label)) {
            try store.resolve(ModelReference(parsing: "m@9"))
        }
        #expect(throws: RegistryError.unknownModel(name: "nope", store: store.label)) {
            try store.resolve(ModelReference(parsing: "nope@1"))
        }
        #expect(try store.removeAlias("candidate", of: "m", user: "u") == 2)
        #expect(throws: RegistryError.self) { try store.resolve(ModelReference(parsing: "m@candidate")) }
    }

    @Test(arguments: Backend.available)
    func deleteRefusesAnAliasedVersionAndNeverReusesItsNumber(_ backend: Backend) throws {
        let store = try backend.freshLocation().open()
        defer { store.close() }
        _ = try store.register(draft("d", metrics: [:]), from: try fakeRun())
        let two = try store.register(draft("d", metrics: [:]), from: try fakeRun())
        try store.setAlias("production", to: ModelReference(parsing: "d@2"), user: "u")
        #expect(throws: RegistryError.versionHasAliases(model: "d@2", aliases: ["production"])) {
            try store.delete(ModelReference(parsing: "d@2"), user: "u")
        }
        let folder = try store.modelFolder(two)
        try store.removeAlias("production", of: "d", user: "u")
        try store.delete(ModelReference(parsing: "d@2"), user: "u")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(throws: RegistryError.unknownVersion(name: "d", version: 2, store: store.label)) {
            try store.resolve(ModelReference(parsing: "d@2"))
        }
        #expect(try store.register(draft("d", metrics: [:]), from: try fakeRun()).version == 3)
        #expect(try store.versions(of: "d").map(\.version) == [1, 3])
    }

    @Test(arguments: Backend.available)
    func promotionGateMovesTheAliasOrRefusesAndRecordsBoth(_ backend: Backend) throws {
        let store = try backend.freshLocation().open()
        defer { store.close() }
        for (accuracy, test) in [(0.85, "file:t1"), (0.92, "file:t1"), (0.91, "file:t1"), (0.97, "file:t2"), (0.95, "file:t1")] {
            _ = try store.register(draft("p", metrics: ["test_accuracy": accuracy], testData: test), from: try fakeRun())
        }
        let rules = try PromotionRule.parse("test_accuracy >= 0.9")
        let gate = PromotionGate(rules: rules, mustBeat: "production")
        func promote(_ v: Int) throws -> PromotionDecision {
            try store.promote(ModelReference(name: "p", selector: .version(v)), to: "production", gate: gate, user: "alice")
        }
        let low = try promote(1)
        #expect(!low.passed && low.checks[0].candidate == 0.85 && low.checks[0].note.contains("is not >= 0.9"))
        #expect(throws: RegistryError.self) { try store.resolve(ModelReference(parsing: "p@production")) }
        let first = try promote(2)
        #expect(first.passed && first.checks.last?.note.contains("nothing to beat") == true)
        #expect(try store.resolve(ModelReference(parsing: "p@production")).version == 2)
        let worse = try promote(3)  // passes the threshold, does not beat 0.92 on the same test data
        #expect(!worse.passed && worse.checks[1].candidate == 0.91 && worse.checks[1].reference == 0.92)
        let otherData = try promote(4)  // better, but tested on other data: the comparison does not count
        #expect(!otherData.passed && otherData.checks[1].note.contains("not comparable"))
        let better = try promote(5)
        #expect(better.passed && better.holder == "p@2")
        #expect(try store.resolve(ModelReference(parsing: "p@production")).version == 5)
        let promotions = try store.events(of: "p").filter { $0.action == "promote" }
        #expect(promotions.map(\.outcome) == ["refused", "promoted", "refused", "refused", "promoted"])
        #expect(promotions.allSatisfy { $0.user == "alice" && $0.rule == "test_accuracy >= 0.9 and beats production on test_accuracy" })
        let details = try JSONDecoder().decode(PromotionDecision.self, from: Data(try #require(promotions[2].details).utf8))
        #expect(details == worse)
    }

    @Test(arguments: Backend.available)
    func aMissingArtifactFolderIsNamed(_ backend: Backend) throws {
        let store = try backend.freshLocation().open()
        defer { store.close() }
        let version = try store.register(draft("gone", metrics: [:]), from: try fakeRun())
        let folder = try store.modelFolder(version)
        try FileManager.default.removeItem(at: folder)
        #expect(throws: RegistryError.missingArtifact(model: "gone@1", path: folder.appendingPathComponent("model/model.json").path)) {
            try store.modelFolder(version)
        }
    }

    @Test(arguments: Backend.available)
    func migrationsRunOnceAndReopeningKeepsTheData(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        let store = try location.open()
        _ = try store.register(draft("keep", metrics: ["x": 1]), from: try fakeRun())
        store.close()
        let again = try location.open() as! SQLRegistryStore
        defer { again.close() }
        let rows = try again.db.query("SELECT version FROM schema_migrations ORDER BY version", [])
        #expect(rows.map { $0[0] } == (1...Schema.current).map { String($0) })
        #expect(try again.resolve(ModelReference(parsing: "keep@1")).metrics == ["x": 1])
    }

    @Test(arguments: Backend.available)
    func concurrentRegistrationsOnSeparateConnectionsNeitherLoseNorDuplicate(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        try location.open().close()
        let run = try fakeRun()
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let store = try location.open()
                defer { store.close() }
                for _ in 0..<5 { _ = try store.register(draft("race", metrics: ["w": Double(worker)]), from: run) }
            } catch { failures.add("\(error)") }
        }
        #expect(failures.all.isEmpty)
        let store = try location.open()
        defer { store.close() }
        let versions = try store.versions(of: "race")
        #expect(versions.map(\.version) == Array(1...20))
        #expect(Set(versions.map(\.artifactPath)).count == 20)
        for worker in 0..<4 { #expect(versions.filter { $0.metrics["w"] == Double(worker) }.count == 5) }
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var all: [String] { lock.withLock { items } }
}
