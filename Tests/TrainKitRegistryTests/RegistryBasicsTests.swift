import Foundation
import Testing
@testable import TrainKitRegistry

@Suite struct RegistryBasicsTests {
    @Test func sha256MatchesTheSystemTool() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        var bytes = [UInt8]()
        var state: UInt32 = 12345
        for _ in 0..<(3 << 20) + 17 { state = state &* 1_103_515_245 &+ 12345; bytes.append(UInt8(truncatingIfNeeded: state >> 16)) }
        try Data(bytes).write(to: file)
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tool.arguments = ["sha256sum", file.path]
        let pipe = Pipe()
        tool.standardOutput = pipe
        try tool.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tool.waitUntilExit()
        let expected = try #require(output.split(separator: " ").first.map(String.init))
        #expect(try SHA256.hex(file: file.path) == expected)
        // FIPS 180-2 appendix B examples.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func rulesParseAndBadOnesAreExplained() throws {
        let rules = try PromotionRule.parse("test_accuracy >= 0.9 and test_loss < 0.4")
        #expect(rules == [PromotionRule(metric: "test_accuracy", comparison: .greaterOrEqual, threshold: 0.9),
                          PromotionRule(metric: "test_loss", comparison: .less, threshold: 0.4)])
        for bad in ["test_accuracy", "accuracy >= high", ">= 0.9", "a >= 0.9 and", "a => 1"] {
            #expect(throws: RegistryError.self, "\(bad)") { try PromotionRule.parse(bad) }
        }
    }

    @Test func referencesParse() throws {
        #expect(try ModelReference(parsing: "wine@3") == ModelReference(name: "wine", selector: .version(3)))
        #expect(try ModelReference(parsing: "wine@production") == ModelReference(name: "wine", selector: .alias("production")))
        #expect(try ModelReference(parsing: "wine") == ModelReference(name: "wine", selector: .latest))
        for bad in ["", "@1", "wine@0", "wine@", "wi ne@1", "wine@-x"] {
            #expect(throws: RegistryError.self, "\(bad)") { try ModelReference(parsing: bad) }
        }
        #expect(ModelReference.looksLikeReference("wine@2") && !ModelReference.looksLikeReference("runs/wine@2"))
    }

    @Test func storeSelectionFollowsFlagsThenEnvironmentThenHome() throws {
        #expect(try StoreLocation.resolve(store: nil, artifacts: nil, environment: ["TRAINKIT_HOME": "/h"]) == .sqlite(path: "/h/registry.db"))
        #expect(try StoreLocation.resolve(store: nil, artifacts: nil, environment: ["TRAINKIT_STORE": "/s/r.db", "TRAINKIT_HOME": "/h"])
            == .sqlite(path: "/s/r.db"))
        #expect(try StoreLocation.resolve(store: "/x/y.db", artifacts: nil, environment: ["TRAINKIT_STORE": "/s/r.db"]) == .sqlite(path: "/x/y.db"))
        #expect(StoreLocation.sqlite(path: "/x/y.db").artifactRoot.path == "/x/y.artifacts")
        #expect(throws: RegistryError.self) { try StoreLocation.resolve(store: "postgres://u@h/db", artifacts: nil, environment: [:]) }
        #expect(try StoreLocation.resolve(store: "postgres://u@h/db", artifacts: "/a", environment: [:]) == .postgres(url: "postgres://u@h/db", artifacts: "/a"))
        #expect(PostgresDatabase.redacted("postgres://u:secret@h:5/db") == "postgres://u:***@h:5/db")
    }

    @Test func aCorruptStoreFileIsNamed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("corrupt-\(UUID().uuidString).db").path
        try Data(repeating: 0x5a, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try StoreLocation.sqlite(path: path).open()
            Issue.record("a file of junk opened as a store")
        } catch let RegistryError.corruptStore(store, reason) {
            #expect(store == path && reason.contains("not a database"))
        }
    }

    @Test func aNewerSchemaIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("newer-\(UUID().uuidString).db").path
        let store = try StoreLocation.sqlite(path: path).open() as! SQLRegistryStore
        try store.db.query("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 'later')", .integer(Int64(Schema.current + 1)))
        store.close()
        #expect(throws: RegistryError.newerSchema(store: path, version: Schema.current + 1, known: Schema.current)) {
            try StoreLocation.sqlite(path: path).open()
        }
    }

    @Test func aMissingClientLibraryIsNamedWithItsPackage() throws {
        #expect {
            try DynamicLibrary.open(["libtrainkit-no-such-library.so.9"], variable: "TRAINKIT_NO_SUCH_VARIABLE",
                                    library: "PostgreSQL's client library (libpq.so.5)", install: "apt-get install libpq5")
        } throws: { error in
            "\(error)".contains("libpq.so.5") && "\(error)".contains("apt-get install libpq5")
        }
    }
}
