import Foundation

/// Where a config's data files are looked for: a path as written (relative ones against the config's
/// folder), then in each data folder (`--data-dir`, then the folders of `TRAINKIT_DATA`, separated by `:`) as
/// written and with its leading folders dropped one at a time, so that
/// `../../../shared/datasets/adult/adult.data` is found as `$TRAINKIT_DATA/adult/adult.data`. A file found
/// nowhere is an error that names every place searched and, for the example datasets, where to get it.
struct DataLookup: Sendable {
    /// A folder to search and what named it (`--data-dir`, `TRAINKIT_DATA`).
    struct Folder: Sendable, Equatable {
        var path: String
        var origin: String
    }

    var folders: [Folder]

    /// The folders of `--data-dir` (in order), then those of `TRAINKIT_DATA`.
    init(dataDirectories: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment) {
        let cwd = FileManager.default.currentDirectoryPath
        folders = dataDirectories.map { Folder(path: RunConfig.resolve($0, against: cwd), origin: "--data-dir") }
        for entry in (environment["TRAINKIT_DATA"] ?? "").split(separator: ":") where !entry.isEmpty {
            folders.append(Folder(path: RunConfig.resolve(String(entry), against: cwd), origin: "TRAINKIT_DATA"))
        }
    }

    /// Every place `path` may be, in the order they are tried, with why each is tried.
    func candidates(_ path: String, base: String) -> [(path: String, why: String)] {
        var out = [(RunConfig.resolve(path, against: base), path.hasPrefix("/") || path.hasPrefix("~") ? "as written" : "beside the config")]
        let parts = (path as NSString).expandingTildeInPath.split(separator: "/").map(String.init)
        let start = (parts.lastIndex(where: { $0 == ".." || $0 == "." }) ?? -1) + 1
        for folder in folders {
            for i in start..<parts.count {
                let candidate = RunConfig.resolve(parts[i...].joined(separator: "/"), against: folder.path)
                if !out.contains(where: { $0.0 == candidate }) { out.append((candidate, "\(folder.origin) \(folder.path)")) }
            }
        }
        return out
    }

    /// The first place `path` exists.
    /// - Throws: ``ConfigError/missingData(path:file:searched:hint:location:)`` naming `key` when it is nowhere.
    func locate(_ path: String, base: String, key: String, location: ConfigLocation?) throws -> String {
        let places = candidates(path, base: base)
        if let found = places.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found.path }
        throw ConfigError.missingData(path: key, file: places[0].path,
                                      searched: places.map { "\($0.path) (\($0.why))" },
                                      hint: hint(for: path), location: location)
    }

    /// Where to get a missing file: the official source of an example dataset, and how to point at a copy.
    func hint(for path: String) -> String {
        let point = folders.isEmpty
            ? "pass --data-dir DIR (or set TRAINKIT_DATA=DIR) for the folder that holds it, or fix the path"
            : "put it in one of the data folders above, or fix the path"
        guard let dataset = KnownDataset.matching(path) else { return point }
        return "it is the \(dataset.name) dataset: get it from \(dataset.url), save its files in a folder \(dataset.folder)/, then \(point)"
    }
}
