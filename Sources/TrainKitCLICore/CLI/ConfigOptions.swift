import ArgumentParser
import Foundation

/// The options of every command that reads a run config (`train`, `cv`, `tune`): `--set` overrides and
/// `--data-dir`, one `@OptionGroup` so they read and behave the same everywhere.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("set"),
            help: ArgumentHelp(
                "Override a config value, read as YAML (repeatable), e.g. --set training.epochs=5; for tune, a {tune: ...} value adds a dimension.",
                valueName: "key.path=value"),
            completion: .list(RunConfig.fields.filter { !$0.isSection }.map { "\($0.path)=" }))
    var overrides: [String] = []

    @Option(name: .customLong("data-dir"),
            help: ArgumentHelp(
                "Also look for the config's data files in this folder (repeatable; before $TRAINKIT_DATA).",
                discussion: "A data path that is not found beside the config is looked up here, as written and with its leading folders dropped one at a time (docs/config.md, Data files).",
                valueName: "dir"),
            completion: .directory)
    var dataDirectories: [String] = []

    func validate() throws {
        for assignment in overrides where !assignment.contains("=") {
            throw ValidationError("--set \(assignment): expected key.path=value (for example --set training.epochs=5)")
        }
        for dir in dataDirectories where dir.isEmpty {
            throw ValidationError("--data-dir: expected a folder, got an empty path")
        }
    }
}

extension ConfigOptions {
    /// The `--set` assignments to apply to `file`, with the config's data paths (`data.train`, `data.test`)
    /// resolved through `--data-dir` when it is given: each found there becomes one more assignment.
    /// - Throws: ``ConfigError`` for a data file found nowhere (naming the places searched), or a config that
    ///   does not read.
    func overrides(for file: String) throws -> [String] {
        guard !dataDirectories.isEmpty else { return overrides }
        var tree = try ConfigNode.load(file: file)
        for assignment in overrides { try ConfigOverride.apply(assignment, to: &tree) }
        guard let data = tree.entries?.first(where: { $0.key == "data" })?.value.entries else { return overrides }
        let lookup = DataLookup(dataDirectories: dataDirectories)
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
        var resolved = overrides
        for key in ["train", "test"] {
            guard let node = data.first(where: { $0.key == key })?.value, case .string(let path) = node.value else { continue }
            let found = try lookup.locate(path, base: base, key: "data.\(key)", location: node.location)
            // A JSON string is a YAML double-quoted scalar: any path reads back as it is.
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            let quoted = String(decoding: try encoder.encode(found), as: UTF8.self)
            resolved.append("data.\(key)=\(quoted)")
        }
        return resolved
    }
}
