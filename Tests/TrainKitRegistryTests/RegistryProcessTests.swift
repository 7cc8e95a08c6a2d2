import Foundation
import Testing
@testable import TrainKitRegistry

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `trainkit models ...` in real processes: several at once, and killed with SIGKILL inside their transactions.
@Suite struct RegistryProcessTests {
    /// The `trainkit` executable built beside the test bundle.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("trainkit"))
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("trainkit"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/trainkit"))
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "no trainkit executable built (looked at \(candidates.map(\.path)))")
    }

    /// Starts `trainkit ARGUMENTS --store ...` with its output discarded.
    static func start(_ arguments: [String], location: StoreLocation, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        var args = arguments
        switch location {
        case .sqlite(let path): args += ["--store", path]
        case .postgres(let url, let artifacts): args += ["--store", url, "--artifacts", artifacts]
        }
        process.arguments = args
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func wait(_ process: Process, timeout: TimeInterval = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A fake finished run whose model.json carries `accuracy` as its test accuracy.
    static func run(accuracy: Double) throws -> URL {
        let run = try fakeRun("acc\(accuracy)")
        try Data("{\"metrics\": {\"test_accuracy\": \(accuracy)}}".utf8).write(to: run.appendingPathComponent("model/model.json"))
        return run
    }

    /// How many actions the store has recorded.
    static func eventCount(_ location: StoreLocation) throws -> Int {
        let store = try location.open()
        defer { store.close() }
        return try store.events(of: nil).count
    }

    static func accuracy(of run: URL) throws -> Double {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("model/model.json"))) as? [String: Any]
        return ((object?["metrics"] as? [String: Any])?["test_accuracy"] as? NSNumber)?.doubleValue ?? .nan
    }

    @Test(arguments: Backend.available)
    func concurrentProcessesRegisteringOneNameGetDistinctVersions(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        let runs = try (0..<6).map { try Self.run(accuracy: 0.5 + Double($0) / 100) }
        let processes = try runs.map { try Self.start(["models", "register", $0.path, "--name", "shared"], location: location) }
        let statuses = processes.map { Self.wait($0) }
        #expect(statuses == Array(repeating: 0, count: 6))
        let store = try location.open()
        defer { store.close() }
        let versions = try store.versions(of: "shared")
        #expect(versions.map(\.version) == Array(1...6))
        #expect(Set(versions.compactMap { $0.metrics["test_accuracy"] }) == Set((0..<6).map { 0.5 + Double($0) / 100 }))
        #expect(try store.events(of: "shared").filter { $0.action == "register" }.count == 6)
    }

    @Test(arguments: Backend.available)
    func sigkillDuringRegisterOrPromoteLeavesTheStoreConsistent(_ backend: Backend) throws {
        let location = try backend.freshLocation()
        try location.open().close()
        let runs = try [0.80, 0.90, 0.95].map { try Self.run(accuracy: $0) }
        var registered = 0
        var killedInside = 0
        var generator = SystemRandomNumberGenerator()
        let mark = FileManager.default.temporaryDirectory.appendingPathComponent("registry-mark-\(UUID().uuidString)")
        for round in 0..<12 {
            let promote = round % 3 == 2 && registered > 0
            let arguments = promote
                ? ["models", "promote", "k@\(Int.random(in: 1...registered, using: &generator))", "--to", "production",
                   "--require", "test_accuracy >= 0.85", "--must-beat", "production"]
                : ["models", "register", runs[round % runs.count].path, "--name", "k"]
            let point = promote ? "promote" : "register"
            try? FileManager.default.removeItem(at: mark)
            let eventsBefore = try Self.eventCount(location)
            let process = try Self.start(arguments, location: location,
                                         environment: ["TRAINKIT_TEST_REGISTRY_PAUSE": "\(point):0.5",
                                                       "TRAINKIT_TEST_REGISTRY_MARK": mark.path])
            // Even rounds: killed inside the transaction (after its writes, before its commit); odd rounds: at a
            // random moment (before, inside or after it; the first ones late enough that they complete).
            let inside = round % 2 == 0
            if inside {
                let deadline = Date().addingTimeInterval(60)
                while !FileManager.default.fileExists(atPath: mark.path) && process.isRunning && Date() < deadline { usleep(2_000) }
                usleep(useconds_t(Int.random(in: 0..<300_000, using: &generator)))
            } else {
                usleep(useconds_t(Int.random(in: 0..<(round < 4 ? 3_000_000 : 900_000), using: &generator)))
            }
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            _ = Self.wait(process)
            if inside && wasRunning {
                killedInside += 1
                #expect(try Self.eventCount(location) == eventsBefore, "a \(point) killed inside its transaction left a record")
            }
            let store = try location.open()
            registered = (try? store.versions(of: "k").count) ?? 0
            store.close()
        }
        #expect(killedInside >= 4)
        let store = try location.open()
        defer { store.close() }
        let versions = try store.versions(of: "k")
        // Versions are numbered without gaps (a killed registration gives its number back), each with its files.
        #expect(versions.map(\.version) == Array(1..<(versions.count + 1)))
        for version in versions {
            let folder = try store.modelFolder(version)
            let source = try #require(try runs.first { try Self.accuracy(of: $0) == version.metrics["test_accuracy"] })
            for file in ["model/model.json", "model/weights.safetensors", "metrics.json"] {
                #expect(try Data(contentsOf: folder.appendingPathComponent(file)) == Data(contentsOf: source.appendingPathComponent(file)))
            }
        }
        let events = try store.events(of: "k")
        #expect(events.filter { $0.action == "register" }.map(\.version) == versions.map(\.version))
        // The alias is where the last recorded promotion put it, and nowhere when none was recorded.
        let lastPromotion = events.last { $0.action == "promote" && $0.outcome == "promoted" }
        let holder = try? store.resolve(ModelReference(parsing: "k@production"))
        #expect(holder?.version == lastPromotion?.version)
        if case .sqlite(let path) = location {
            let check = try SQLiteDatabase(path: path).query("PRAGMA integrity_check", [])
            #expect(check.first?.first == "ok")
        }
        // The store still takes writes: the next registration gets the next number.
        let after = try Self.start(["models", "register", runs[0].path, "--name", "k"], location: location)
        #expect(Self.wait(after) == 0)
        #expect(try store.resolve(ModelReference(parsing: "k")).version == versions.count + 1)
    }
}
