import Yams

/// `--set key.path=value`: replaces (or adds) one value of a config tree before it is checked. The value is
/// read as YAML, so `--set training.epochs=5` sets an integer, `--set model.hidden=[64,32]` a list and
/// `--set data.target=quality` a string. A key path has at most ``ConfigLimits/maxDepth`` components.
enum ConfigOverride {
    static func apply(_ assignment: String, to tree: inout ConfigNode) throws {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ConfigError.usage("--set \(assignment): expected key.path=value (for example --set training.epochs=5)")
        }
        let key = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
        let text = String(assignment[assignment.index(after: equals)...])
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, !path.contains(where: \.isEmpty) else {
            throw ConfigError.usage("--set \(assignment): '\(key)' is not a key path (for example training.optimizer.lr)")
        }
        guard path.count <= ConfigLimits.maxDepth else {
            throw ConfigError.usage(
                "--set \(key.prefix(60))…: the key path has \(path.count) components; a config nests at most \(ConfigLimits.maxDepth) levels")
        }
        let source = "--set \(key)"
        var value: ConfigNode
        do {
            value = try ConfigNode.parse(yaml: text.isEmpty ? "''" : text, file: source)
        } catch ConfigError.invalidValue(_, let reason, _) {
            throw ConfigError.usage("--set \(key): \(reason)")
        } catch {
            throw ConfigError.usage("--set \(assignment): the value is not valid YAML")
        }
        value.relocate(to: ConfigLocation(file: source, line: 0, column: 0))
        try tree.set(value, at: path)
    }
}

extension ConfigNode {
    /// Points this node and everything inside at `location` (values that came from the command line).
    mutating func relocate(to location: ConfigLocation) {
        self.location = location
        switch value {
        case .list(var items):
            for i in items.indices { items[i].relocate(to: location) }
            value = .list(items)
        case .map(var entries):
            for i in entries.indices { entries[i].value.relocate(to: location) }
            value = .map(entries)
        default: break
        }
    }
}
