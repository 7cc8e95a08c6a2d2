import Foundation

/// Reading whole files into memory, with errors that name the file.
enum FileBytes {
    /// The bytes of the file at `path`.
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw DataError.unreadable(file: path, reason: "is a directory") }
        try RegularFile.check(path)
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            return [UInt8](data)
        } catch {
            throw DataError.unreadable(file: path, reason: "\(error.localizedDescription)")
        }
    }

    /// The bytes of `path`, decompressed when they start with the gzip magic (`1f 8b`).
    static func readDecompressing(_ path: String) throws -> [UInt8] {
        let bytes = try read(path)
        guard Gzip.isGzip(bytes) else { return bytes }
        return try Gzip.decompress(bytes, file: path)
    }
}
