import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Copies a run's files into the store's artifact folder, each flushed to disk before the version that names
/// them is committed.
enum ArtifactFolder {
    /// Copies `files` (relative to `source`) into `destination` (created).
    static func copy(_ files: [String], from source: URL, to destination: URL) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: destination, withIntermediateDirectories: true)
            for file in files {
                let from = source.appendingPathComponent(file), to = destination.appendingPathComponent(file)
                try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.copyItem(at: from, to: to)
                try flush(to.path)
            }
            try flush(destination.path)
            try flush(destination.deletingLastPathComponent().path)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.invalid("cannot copy the run's artifacts from \(source.path) to \(destination.path): \(error)")
        }
    }

    /// fsync of a file or folder.
    static func flush(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fsync(fd)
    }
}
