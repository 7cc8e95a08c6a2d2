import Foundation

/// Appends one row per epoch to a CSV file (`epoch` then the metrics in sorted order; a header first).
/// Each row is flushed as it is written, so a crash loses at most the epoch in progress.
public final class CSVLogger: Callback {
    public let url: URL
    private var columns: [String]?
    private var handle: FileHandle?

    public init(url: URL) { self.url = url }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        if handle == nil { try open(logs: logs) }
        let cols = columns!
        let row = ["\(epoch + 1)"] + cols.map { logs[$0].map { "\($0)" } ?? "" }
        handle!.write(Data((row.joined(separator: ",") + "\n").utf8))
        try handle!.synchronize()
    }

    private func open(logs: [String: Double]) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: url.path), let text = try? String(contentsOf: url, encoding: .utf8),
           let header = text.split(separator: "\n").first {
            columns = header.split(separator: ",").dropFirst().map(String.init)  // resuming: keep the columns
        } else {
            columns = logs.keys.sorted()
            fm.createFile(atPath: url.path, contents: Data(((["epoch"] + columns!).joined(separator: ",") + "\n").utf8))
        }
        handle = try FileHandle(forWritingTo: url)
        try handle!.seekToEnd()
    }

    public override func fitEnd(_ trainer: Trainer) throws {
        try handle?.close()
        handle = nil
    }
}

/// Appends one JSON object per epoch (`{"epoch": 1, "loss": ..., ...}`) to a JSON-lines file.
public final class JSONLinesLogger: Callback {
    public let url: URL

    public init(url: URL) { self.url = url }

    public override func epochEnd(_ trainer: Trainer, epoch: Int, logs: [String: Double]) throws {
        var object: [String: Double] = logs
        object["epoch"] = Double(epoch + 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var line = try encoder.encode(object)
        line.append(0x0A)
        let fm = FileManager.default
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !fm.fileExists(atPath: url.path) { fm.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        handle.write(line)
        try handle.synchronize()
    }
}

extension Callback {
    public static func csvLogger(_ path: String) -> Callback { CSVLogger(url: URL(fileURLWithPath: path)) }
    public static func jsonLinesLogger(_ path: String) -> Callback { JSONLinesLogger(url: URL(fileURLWithPath: path)) }
}
