import Foundation
import TrainKit

/// A config file whose values may be searched: its YAML tree with the `{tune: ...}` specs in place, the
/// ``SearchSpace`` they declare, and the checked ``RunConfig`` of any point of that space.
///
/// ```yaml
/// training:
///   optimizer: {name: adamw, lr: {tune: loguniform, low: 1e-4, high: 1e-1}}
/// model:
///   hidden: {tune: choice, values: [[64], [128, 64]]}
/// ```
struct TunableConfig: Sendable {
    /// The config file.
    let file: String
    /// The tree, `--set` overrides applied, specs in place.
    let tree: ConfigNode
    /// The parameters searched (empty when the file has no spec).
    let space: SearchSpace

    /// Reads `file`, applies `overrides` (which may add or replace specs) and extracts the space.
    /// - Throws: ``ConfigError`` for a bad file or a bad spec (naming its path and line).
    init(file: String, overrides: [String]) throws {
        var tree = try ConfigNode.load(file: file)
        for assignment in overrides { try ConfigOverride.apply(assignment, to: &tree) }
        try self.init(file: file, tree: tree)
    }

    /// A tree already read (and edited) from `file`, which data paths resolve against.
    init(file: String, tree: ConfigNode) throws {
        // The `pipeline` section is `trainkit pipeline`'s (its search space is searched there, not here).
        var tree = tree
        if case .map(let entries) = tree.value { tree.value = .map(entries.filter { $0.key != "pipeline" }) }
        guard let root = tree.plainValue as? [String: Any] else {
            throw ConfigError.wrongType(
                path: "<root>", expected: "a mapping", got: tree.describe, location: tree.location)
        }
        do {
            space = try SearchSpace.extract(from: root).space
        } catch SelectionError.invalidSpace(let path, let message) {
            throw ConfigError.invalidValue(path: path, reason: message, location: tree.node(at: path)?.location)
        }
        self.file = file
        self.tree = tree
    }

    /// The checked config with `params` written in place of the specs. Data paths resolve against the config
    /// file's folder and `output` against the current directory, as `train` does.
    func config(_ params: [String: ParameterValue]) throws -> RunConfig {
        let url = URL(fileURLWithPath: file)
        return try RunConfig.decode(
            try tree.applying(params), baseDirectory: url.deletingLastPathComponent().path,
            defaultOutput: "runs/\(url.deletingPathExtension().lastPathComponent)")
    }

    /// One point of the space: the first choice, the middle of each range.
    var representative: [String: ParameterValue] {
        var params: [String: ParameterValue] = [:]
        for (path, distribution) in space.dimensions { params[path] = distribution.gridPoints(1)[0] }
        return params
    }

    /// Checks every choice and both ends of every range against the config schema, so a bad value stops the
    /// command before any trial runs; returns the config of ``representative``.
    func check() throws -> RunConfig {
        let middle = representative
        let config = try self.config(middle)
        for (path, distribution) in space.dimensions {
            for value in distribution.gridPoints(2) where !value.matches(middle[path]!) {
                _ = try self.config(middle.merging([path: value]) { $1 })
            }
        }
        return config
    }

    /// A ready-to-train config file: the original tree with `params` in place of the specs, data paths made
    /// absolute (the file lives in the run directory, not beside the original) and `output` set.
    func yaml(_ params: [String: ParameterValue], output: String) throws -> String {
        let resolved = try config(params)
        var tree = try self.tree.applying(params)
        try tree.set(ConfigNode(.string(resolved.data.train)), at: ["data", "train"])
        if let test = resolved.data.test { try tree.set(ConfigNode(.string(test)), at: ["data", "test"]) }
        try tree.set(ConfigNode(.string(output)), at: ["output"])
        let text = try tree.yamlText()
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}
