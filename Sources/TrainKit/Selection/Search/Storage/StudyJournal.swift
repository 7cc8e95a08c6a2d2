import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only JSON-lines file that several threads and processes write at once: the durable record of a
/// ``Study`` (the format is ``JournalEvent``'s).
///
/// Every change happens in a ``transaction(_:)``: the file is locked (an in-process mutex, then `flock(LOCK_EX)`,
/// which excludes other processes and other open descriptions of the file), the lines other writers appended
/// since the last transaction are read, the body decides what to append, and the new lines go to the end of
/// the file in one `write` on an `O_APPEND` descriptor, followed by `fsync`. So lines never interleave, and a
/// decision (the next trial number, whether to prune) always sees every line written before it.
///
/// A process killed mid-write leaves at most one unterminated line at the end. Replay reports it in
/// ``problems`` and skips it, and the next append first ends it with a newline, so it stays one bad line.
/// A line that does not decode is reported and skipped likewise.
final class StudyJournal: StudyEventStore, @unchecked Sendable {
    let url: URL
    var location: String { url.path }
    private let fd: Int32
    private let mutex = NSLock()
    /// Bytes already read and replayed.
    private var offset: Int = 0
    private var lineNumber = 0
    /// The file ends without a newline (a truncated last line).
    private var needsNewline = false
    /// Lines that could not be read: `path:line: why`.
    private(set) var problems: [String] = []

    /// Opens (creating when missing) the journal at `url`.
    init(url: URL) throws {
        self.url = url
        let directory = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fd = open(url.path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SelectionError.journal("\(url.path): cannot open (\(String(cString: strerror(errno))))")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Runs `body` with the journal locked. `body` gets the events appended since the last transaction (by any
    /// writer), in file order, and returns the events to append and a result.
    func transaction<T>(_ body: ([JournalEvent]) throws -> (append: [JournalEvent], result: T)) throws -> T {
        mutex.lock()
        defer { mutex.unlock() }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw SelectionError.journal("\(url.path): cannot lock (\(String(cString: strerror(errno))))")
            }
        }
        defer { _ = flock(fd, LOCK_UN) }
        let (events, result) = try body(try readNew())
        if !events.isEmpty { try write(events) }
        return result
    }

    // MARK: - Reading

    private func readNew() throws -> [JournalEvent] {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SelectionError.journal("\(url.path): cannot stat (\(String(cString: strerror(errno))))")
        }
        let size = Int(info.st_size)
        guard size > offset else { return [] }
        var bytes = [UInt8](repeating: 0, count: size - offset)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SelectionError.journal("\(url.path): read failed at byte \(offset + done)") }
            done += n
        }
        var events: [JournalEvent] = []
        var start = 0
        let decoder = JournalEvent.decoder
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "\n") {
            lineNumber += 1
            let line = bytes[start..<i]
            start = i + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            do {
                events.append(try decoder.decode(JournalEvent.self, from: Data(line)))
            } catch {
                problems.append("\(url.path):\(lineNumber): unreadable line ignored (\(JournalEvent.describe(error)))")
            }
        }
        if start < bytes.count {
            // Only a writer that died mid-write leaves this: writers append whole lines under the lock.
            lineNumber += 1
            problems.append(
                "\(url.path):\(lineNumber): truncated last line ignored "
                    + "(\(bytes.count - start) bytes; a writer stopped mid-line)"
            )
            needsNewline = true
        } else {
            needsNewline = false
        }
        offset = size
        return events
    }

    // MARK: - Writing

    private func write(_ events: [JournalEvent]) throws {
        let encoder = JournalEvent.encoder
        var data = Data()
        if needsNewline { data.append(UInt8(ascii: "\n")) }
        for event in events {
            data.append(try encoder.encode(event))
            data.append(UInt8(ascii: "\n"))
        }
        try data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw SelectionError.journal("\(url.path): write failed (\(String(cString: strerror(errno))))")
                }
                done += n
            }
        }
        _ = fsync(fd)
        // Our own lines are known; skip them when reading (nobody else writes while we hold the lock).
        offset += data.count
        lineNumber += events.count  // a newline ending a truncated line adds no line: it was counted when read
        needsNewline = false
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
