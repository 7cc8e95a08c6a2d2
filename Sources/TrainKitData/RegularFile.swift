import Foundation

/// Data files must be regular files (or directories, for IDX data): a device such as `/dev/zero` never ends, a
/// FIFO or pipe (process substitution `<(…)`, `/dev/stdin`) can be read only once and blocks until a writer
/// opens it. The check uses `stat`, which follows symlinks and never opens (so never blocks on) the file.
public enum RegularFile {
    /// - Throws: ``DataError/unreadable(file:reason:)`` saying what the path is instead ("is a device, not a
    ///   regular file"); a path that does not exist passes (callers report that themselves).
    public static func check(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return
        case S_IFCHR, S_IFBLK: kind = "is a device, not a regular file"
        case S_IFIFO: kind = "is a FIFO or pipe (process substitution, /dev/stdin), not a regular file; save the data to a file first"
        case S_IFSOCK: kind = "is a socket, not a regular file"
        default: kind = "is not a regular file"
        }
        throw DataError.unreadable(file: path, reason: kind)
    }
}
