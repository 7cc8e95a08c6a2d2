import Foundation

/// Whether two paths name one file, so a command never writes its output over its input.
enum SameFile {
    /// True when `a` and `b` are the same file: the same device and inode when both exist (hard links,
    /// symlinks, `./x` and `x`), else the same path once symlinks are resolved.
    static func same(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        if stat(a, &first) == 0 && stat(b, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path }
        return resolved(a) == resolved(b)
    }
}
