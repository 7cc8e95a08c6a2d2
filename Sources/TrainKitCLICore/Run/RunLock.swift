import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a run directory: `RUN_DIR/.trainkit.lock`, held with `flock(2)` for as long as one
/// `trainkit train` writes the directory.
///
/// The kernel drops the lock when the process ends, however it ends (a `SIGKILL` included), so a lock file left
/// behind never blocks a later run: only a live holder does. The file records who holds it (process id, command,
/// start time) so that a refused writer can name the holder. Two descriptors of one process exclude each other
/// too (`flock` locks belong to the open file, not the process).
final class RunLock {
    static let fileName = ".trainkit.lock"

    let url: URL
    private var descriptor: Int32

    /// Takes the lock of `directory` (which must exist) without waiting.
    ///
    /// - Throws: ``ConfigError/usage(_:)`` naming the directory and the holder when another process holds it;
    ///   ``ConfigError/invalidValue(path:reason:location:)`` on `output` when the lock file cannot be created.
    init(directory: URL, command: String) throws {
        url = directory.appendingPathComponent(Self.fileName)
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ConfigError.invalidValue(
                path: "output", reason: "\(directory.path): cannot create \(Self.fileName): \(String(cString: strerror(errno)))",
                location: nil)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.holder(of: url)
            close(descriptor)
            throw ConfigError.usage(
                "output: \(directory.path) is in use by another trainkit process\(holder.map { " (\($0))" } ?? ""); "
                    + "wait for it to finish or choose another output (--set output=DIR)")
        }
        let stamp = ISO8601DateFormatter().string(from: Date())
        let record = "pid \(getpid()), \(command), started \(stamp)\n"
        // The record first, then the length: a reader never sees an empty file once a holder has written one.
        let length = record.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        if length > 0 { _ = ftruncate(descriptor, off_t(length)) }
    }

    deinit { release() }

    /// Releases the lock (idempotent); the file stays, empty of meaning until the next holder writes it.
    func release() {
        guard descriptor >= 0 else { return }
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    /// The holder's record, read from the lock file (`pid 123, train, started 2026-12-07T07:00:00Z`); a holder
    /// that has just created the file gets a moment to write it.
    private static func holder(of url: URL) -> String? {
        for _ in 0..<20 {
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            let line = text.split(separator: "\n").first.map(String.init) ?? ""
            if !line.isEmpty { return line }
            usleep(10_000)
        }
        return nil
    }
}
