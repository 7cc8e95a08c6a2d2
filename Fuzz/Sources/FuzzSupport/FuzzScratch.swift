import Foundation

/// A per-process scratch folder for harnesses whose entry point reads a path, removed when the process exits.
public enum FuzzScratch {
    /// `$TMPDIR/trainkit-fuzz-<pid>` (created on first use).
    public static let directory: URL = {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let url = URL(fileURLWithPath: base).appendingPathComponent("trainkit-fuzz-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: FuzzScratch.directory) }
        return url
    }()

    /// Writes `bytes` to `name` inside ``directory`` (creating folders) and returns its URL.
    @discardableResult
    public static func write(_ bytes: some Sequence<UInt8>, to name: String) -> URL {
        let url = directory.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: url)
        return url
    }

    /// Removes `name` inside ``directory`` if present.
    public static func remove(_ name: String) {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
    }
}

/// Splits fuzz input at the first `separator` (e.g. a model.json followed by its weights).
public func splitInput(_ bytes: [UInt8], at separator: [UInt8]) -> ([UInt8], [UInt8]?) {
    guard separator.count <= bytes.count else { return (bytes, nil) }
    for i in 0...(bytes.count - separator.count) where bytes[i..<(i + separator.count)].elementsEqual(separator) {
        return (Array(bytes[..<i]), Array(bytes[(i + separator.count)...]))
    }
    return (bytes, nil)
}
