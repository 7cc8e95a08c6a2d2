import Foundation

/// Reports the first tracking failure of a run (or of a study and its trials) once, and tells every logger
/// sharing it to stop calling the server: a server that is down costs one warning and one timeout, not one per
/// epoch.
public final class TrackingWarning: @unchecked Sendable {
    private let lock = NSLock()
    private var reported = false
    private let sink: @Sendable (String) -> Void

    /// - Parameter sink: receives the warning line (default: standard error).
    public init(sink: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.sink = sink
    }

    /// Whether a failure was reported (later calls are skipped).
    public var hasFailed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return reported
    }

    /// Reports `message` unless a failure was reported before.
    public func report(_ message: String) {
        lock.lock()
        let first = !reported
        reported = true
        lock.unlock()
        if first { sink("warning: \(message)") }
    }
}
