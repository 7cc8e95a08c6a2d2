import Foundation

/// Heartbeats of the workers sharing a journal file: one empty file per worker in `<journal>.workers/`, its
/// modification time the last beat. On a filesystem every machine mounts, this lets a worker on one machine see
/// that a worker on another has stopped.
extension StudyJournal {
    var heartbeatsAreComplete: Bool { false }

    /// The folder of heartbeat files.
    var workersFolder: URL { URL(fileURLWithPath: url.path + ".workers") }

    func beat(owner: String) throws {
        let file = workersFolder.appendingPathComponent(owner)
        let manager = FileManager.default
        if manager.fileExists(atPath: file.path) {
            try manager.setAttributes([.modificationDate: Date()], ofItemAtPath: file.path)
        } else {
            try manager.createDirectory(at: workersFolder, withIntermediateDirectories: true)
            guard manager.createFile(atPath: file.path, contents: nil) else {
                throw SelectionError.journal("\(file.path): cannot create the heartbeat file")
            }
        }
    }

    func silence() throws -> [String: Double] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: workersFolder.path) else { return [:] }
        let now = Date()
        var result: [String: Double] = [:]
        for name in names {
            let path = workersFolder.appendingPathComponent(name).path
            let attributes = try? manager.attributesOfItem(atPath: path)
            guard let date = attributes?[.modificationDate] as? Date else { continue }
            result[name] = now.timeIntervalSince(date)
        }
        return result
    }
}
