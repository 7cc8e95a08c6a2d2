import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `trainkit` executable that `swift build` / `swift test` built beside the test bundle.
func trainkitExecutable() throws -> URL {
    var candidates: [URL] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("trainkit"))
    }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("trainkit"))
    candidates.append(repositoryRoot.appendingPathComponent(".build/debug/trainkit"))
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                        "no trainkit executable built (looked at \(candidates.map(\.path)))")
}

/// `trainkit ARGUMENTS` in a child process, its output in files (a pipe could fill and block it).
final class TrainkitProcess {
    let process = Process()
    let stdout: URL, stderr: URL

    /// `environment` entries are added to (or replace those of) this process's environment.
    init(_ arguments: [String], logs: URL, name: String, environment: [String: String] = [:]) throws {
        stdout = logs.appendingPathComponent("\(name).out")
        stderr = logs.appendingPathComponent("\(name).err")
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.executableURL = try trainkitExecutable()
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end (at most `timeout` seconds, then kills it) and returns its exit status.
    @discardableResult
    func wait(timeout: TimeInterval = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var diagnostics: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
}

/// Polls `condition` every 5 ms until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: TimeInterval = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// Every file under `directory` with its bytes, by relative path (a snapshot to compare before and after).
func snapshot(_ directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let base = directory.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return files }
    for case let path as String in walker {
        var isDirectory: ObjCBool = false
        let full = base + "/" + path
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[path] = try Data(contentsOf: URL(fileURLWithPath: full))
        }
    }
    return files
}
