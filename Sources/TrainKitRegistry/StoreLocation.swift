import Foundation

/// Where the registry lives: a SQLite file (artifacts beside it) or a PostgreSQL server (artifacts under a
/// configured root).
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String, artifacts: String)

    /// The location from `--store` / `--artifacts`, else `$TRAINKIT_STORE` / `$TRAINKIT_ARTIFACTS`, else
    /// `$TRAINKIT_HOME/registry.db` (`~/.trainkit/registry.db`).
    ///
    /// - Throws: ``RegistryError/invalid(_:)`` for a PostgreSQL store without an artifact root.
    public static func resolve(store: String?, artifacts: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        let chosen = store ?? environment["TRAINKIT_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        let root = artifacts ?? environment["TRAINKIT_ARTIFACTS"].flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen else {
            let home = environment["TRAINKIT_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".trainkit").path
            return .sqlite(path: URL(fileURLWithPath: home).appendingPathComponent("registry.db").path)
        }
        if chosen.hasPrefix("postgres://") || chosen.hasPrefix("postgresql://") {
            guard let root else {
                throw RegistryError.invalid(
                    "--store \(PostgresDatabase.redacted(chosen)): a PostgreSQL store needs a folder for the artifacts "
                        + "that every user of the store can reach: --artifacts DIR or TRAINKIT_ARTIFACTS=DIR")
            }
            return .postgres(url: chosen, artifacts: URL(fileURLWithPath: root).standardizedFileURL.path)
        }
        if chosen.contains("://") {
            throw RegistryError.invalid("--store \(chosen): a store is a SQLite file path or a postgres:// URL")
        }
        return .sqlite(path: URL(fileURLWithPath: chosen).standardizedFileURL.path)
    }

    /// The artifact root: `registry.artifacts/` beside `registry.db`, or the configured folder.
    public var artifactRoot: URL {
        switch self {
        case .sqlite(let path):
            let url = URL(fileURLWithPath: path)
            let stem = url.deletingPathExtension().lastPathComponent
            return url.deletingLastPathComponent().appendingPathComponent("\(stem).artifacts")
        case .postgres(_, let artifacts):
            return URL(fileURLWithPath: artifacts)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url, _): return PostgresDatabase.redacted(url)
        }
    }

    /// Opens the store, creating it (and its folders) when absent and migrating its schema.
    public func open() throws -> RegistryStore {
        switch self {
        case .sqlite(let path):
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw RegistryError.unreachable(store: path, reason: "it is a directory; --store names the SQLite file")
            }
            do {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
            } catch {
                throw RegistryError.unreachable(store: path, reason: "cannot create its folder: \(error.localizedDescription)")
            }
            return try SQLiteRegistryStore(path: path, artifactRoot: artifactRoot)
        case .postgres(let url, _):
            return try PostgresRegistryStore(url: url, artifactRoot: artifactRoot)
        }
    }
}
