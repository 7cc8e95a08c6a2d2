import Foundation

/// Writes one TensorBoard event file: TFRecord-framed `Event` protocol buffers (``TFRecord``), a
/// `file_version: "brain.Event:2"` event first, then summaries (scalars, histograms, text, hparams).
///
/// The file is `DIRECTORY/events.out.tfevents.<10-digit seconds>.<host>.<pid>.<counter>` as tensorboard's
/// `EventFileWriter` names it, so TensorBoard (and PyTorch's readers) treat `DIRECTORY` as one run. Each event is
/// appended as it is written; ``flush()`` syncs it to disk.
///
/// ```swift
/// let writer = try EventFileWriter(directory: URL(fileURLWithPath: "runs/wine/tensorboard"))
/// try writer.addScalar("loss", 0.42, step: 1)
/// try writer.close()
/// ```
public final class EventFileWriter {
    /// The event file.
    public let url: URL
    private let handle: FileHandle

    /// Creates `directory` if needed and starts a new event file in it.
    /// - Throws: ``TrackingError/file(path:reason:)`` when the directory or file cannot be created.
    public init(directory: URL, date: Date = Date()) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TrackingError.file(path: directory.path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        let host = ProcessInfo.processInfo.hostName
        let name = String(format: "events.out.tfevents.%010d.%@.%d.%d", Int(date.timeIntervalSince1970), host,
                          Int(ProcessInfo.processInfo.processIdentifier), EventFileCounter.next())
        url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw TrackingError.file(path: url.path, reason: "cannot create the event file")
        }
        self.handle = handle
        var first = Tensorboard_Event()
        first.wallTime = date.timeIntervalSince1970
        first.fileVersion = "brain.Event:2"
        first.sourceMetadata.writer = "trainkit"
        try write(first)
    }

    /// Appends one event.
    func write(_ event: Tensorboard_Event) throws {
        do {
            try handle.write(contentsOf: TFRecord.frame(event.deterministicData()))
        } catch {
            throw TrackingError.file(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Appends an event holding `values` at `step`.
    func write(_ values: [Tensorboard_Summary.Value], step: Int, date: Date = Date()) throws {
        var event = Tensorboard_Event()
        event.wallTime = date.timeIntervalSince1970
        event.step = Int64(step)
        event.summary.value = values
        try write(event)
    }

    /// A scalar in PyTorch `add_scalar`'s form (`simple_value`), which the Scalars tab plots.
    public func addScalar(_ tag: String, _ value: Double, step: Int) throws {
        try write([SummaryValues.scalar(tag, value)], step: step)
    }

    /// Several scalars in one event.
    public func addScalars(_ values: [String: Double], step: Int) throws {
        try write(values.keys.sorted().map { SummaryValues.scalar($0, values[$0]!) }, step: step)
    }

    /// A histogram of `values` (``Histogram``), for the Histograms and Distributions tabs.
    public func addHistogram(_ tag: String, values: [Float], step: Int) throws {
        try write([SummaryValues.histogram(tag, Histogram(values))], step: step)
    }

    /// A markdown text, for the Text tab.
    public func addText(_ tag: String, _ text: String, step: Int) throws {
        try write([SummaryValues.text(tag, text)], step: step)
    }

    /// A `SessionLog` START at `step` (PyTorch `SummaryWriter(purge_step:)`): TensorBoard drops what earlier files
    /// hold at steps `>= step`, so a resumed run shows each step once.
    public func addRestart(atStep step: Int) throws {
        var event = Tensorboard_Event()
        event.wallTime = Date().timeIntervalSince1970
        event.step = Int64(step)
        event.sessionLog.status = .start
        try write(event)
    }

    /// Syncs the file to disk.
    public func flush() throws {
        do { try handle.synchronize() } catch {
            throw TrackingError.file(path: url.path, reason: "cannot sync: \(error.localizedDescription)")
        }
    }

    /// Syncs and closes the file.
    public func close() throws {
        try flush()
        try? handle.close()
    }
}

/// The per-process counter at the end of event file names, so two writers started in one second get two files.
private enum EventFileCounter {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var value = 0

    static func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
