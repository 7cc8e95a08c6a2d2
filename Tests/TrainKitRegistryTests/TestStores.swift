import Foundation
import Testing
@testable import TrainKitRegistry

/// The two store backends; every store test runs against each one that is available here.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// `TRAINKIT_TEST_POSTGRES` (set by `scripts/with-postgres`): a server the tests may create schemas in.
    static let postgresURL: String? = ProcessInfo.processInfo.environment["TRAINKIT_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// SQLite always; PostgreSQL when `TRAINKIT_TEST_POSTGRES` is set (`postgresStoreIsReachable` says when not).
    static let available: [Backend] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    /// A fresh, empty store location of this backend: a new SQLite file, or a new PostgreSQL schema.
    func freshLocation(_ name: String = #function) throws -> StoreLocation {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("trainkit-registry-tests-\(name.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch self {
        case .sqlite:
            return .sqlite(path: folder.appendingPathComponent("registry.db").path)
        case .postgres:
            let base = try #require(Backend.postgresURL)
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try PostgresDatabase(url: base)
            try admin.script("CREATE SCHEMA \(schema)")
            admin.close()
            let separator = base.contains("?") ? "&" : "?"
            return .postgres(url: "\(base)\(separator)options=-csearch_path%3D\(schema)",
                             artifacts: folder.appendingPathComponent("artifacts").path)
        }
    }
}

/// A fake run directory: a model folder and a metrics file, with distinct contents.
func fakeRun(_ tag: String = UUID().uuidString) throws -> URL {
    let run = FileManager.default.temporaryDirectory.appendingPathComponent("trainkit-registry-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: run.appendingPathComponent("model"), withIntermediateDirectories: true)
    try Data("{\"tag\": \"\(tag)\"}".utf8).write(to: run.appendingPathComponent("model/model.json"))
    try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ tag.count) }).write(to: run.appendingPathComponent("model/weights.safetensors"))
    try Data("{\"test_accuracy\": 0.5}".utf8).write(to: run.appendingPathComponent("metrics.json"))
    return run
}

func draft(_ name: String, metrics: [String: Double], testData: String? = "file:abc", parent: ModelReference? = nil,
           user: String = "tester") -> VersionDraft {
    VersionDraft(name: name, source: "/runs/\(name)", metrics: metrics, params: "seed: 0\nmodel: {kind: mlp}\n",
                 dataHashes: ["train: /data/train.csv": "11aa", "test: /data/test.csv": "22bb"], testData: testData,
                 inputSchema: ["a", "b", "c"], trainkitVersion: "0.1.0", parent: parent,
                 artifacts: ["model/model.json", "model/weights.safetensors", "metrics.json"], user: user)
}
