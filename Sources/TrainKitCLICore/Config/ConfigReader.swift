import Yams

/// Turns a composed YAML document into a ``ConfigNode`` tree within ``ConfigLimits``: mapping keys are
/// strings and appear once per mapping (checked with a set), the config holds at most
/// ``ConfigLimits/maxKeys`` keys, and aliases add at most ``ConfigLimits/maxAliasValues`` values as they
/// expand. The text must have passed ``YAMLDepthScan``, which bounds the recursion here.
///
/// Yams composes an alias as the anchored node itself, so an alias of a list or mapping shows up as a
/// collection whose position was seen before; each value of that copy counts against the alias budget.
struct ConfigReader {
    let file: String
    let scan: YAMLDepthScan
    private var keyCount = 0
    private var aliasValues = 0
    private var seenCollections: Set<YAMLDepthScan.Position> = []
    /// The position of the anchored collection an alias is copying, while the copy is read.
    private var expanding: YAMLDepthScan.Position?
    /// The key path to the node being read, for messages (`data.drop[3]`).
    private var path: [String] = []

    init(file: String, scan: YAMLDepthScan) {
        self.file = file
        self.scan = scan
    }

    mutating func read(_ node: Node) throws -> ConfigNode {
        let mark = node.mark.map { YAMLDepthScan.Position(line: $0.line, column: $0.column) }
        let location = mark.map { ConfigLocation(file: file, line: $0.line, column: $0.column) }
        try countAliasValue(at: mark, location: location)
        switch node {
        case .scalar(let scalar):
            return ConfigNode(Self.value(of: node, text: scalar.string), location: location)
        case .sequence(let sequence):
            let startsCopy = enterCollection(at: mark)
            defer { if startsCopy { expanding = nil } }
            var items: [ConfigNode] = []
            items.reserveCapacity(sequence.count)
            for (i, item) in sequence.enumerated() {
                path.append("[\(i)]")
                defer { path.removeLast() }
                items.append(try read(item))
            }
            return ConfigNode(.list(items), location: location)
        case .mapping(let mapping):
            let startsCopy = enterCollection(at: mark)
            defer { if startsCopy { expanding = nil } }
            var entries: [ConfigNode.Entry] = []
            var names: Set<String> = []
            for (key, value) in mapping {
                guard let name = key.string else {
                    throw ConfigError.syntax(file: file, reason: "\(location?.description ?? file): mapping keys must be strings")
                }
                guard names.insert(name).inserted else {
                    throw ConfigError.syntax(
                        file: file, reason: "key '\(name)' appears twice (line \(key.mark?.line ?? 0))")
                }
                keyCount += 1
                path.append(path.isEmpty ? name : ".\(name)")
                defer { path.removeLast() }
                if keyCount > ConfigLimits.maxKeys {
                    throw ConfigError.invalidValue(
                        path: keyPath, reason: "the config has more than \(ConfigLimits.maxKeys) keys; a config may hold at most \(ConfigLimits.maxKeys)",
                        location: key.mark.map { ConfigLocation(file: file, line: $0.line, column: $0.column) })
                }
                entries.append(ConfigNode.Entry(key: name, value: try read(value)))
            }
            return ConfigNode(.map(entries), location: location)
        }
    }

    private var keyPath: String { path.isEmpty ? "<document>" : path.joined() }

    /// Notes a list or mapping; true when it is an alias's copy of one read before (and not already inside
    /// such a copy).
    private mutating func enterCollection(at mark: YAMLDepthScan.Position?) -> Bool {
        guard expanding == nil, let mark, !scan.firstAlias.isEmpty else { return false }
        if seenCollections.insert(mark).inserted { return false }
        expanding = mark
        return true
    }

    private mutating func countAliasValue(at mark: YAMLDepthScan.Position?, location: ConfigLocation?) throws {
        guard let anchored = expanding else { return }
        aliasValues += 1
        guard aliasValues > ConfigLimits.maxAliasValues else { return }
        let name = scan.anchor(at: anchored)
        let use = name.flatMap { scan.firstAlias[$0] }
        let alias = name.map { "the alias *\($0)" } ?? "an alias"
        throw ConfigError.invalidValue(
            path: keyPath,
            reason: "\(alias) (of the value at line \(anchored.line)) expands past \(ConfigLimits.maxAliasValues) values; aliases may add at most \(ConfigLimits.maxAliasValues) values to a config",
            location: use.map { ConfigLocation(file: file, line: $0.line, column: $0.column) } ?? location)
    }

    /// A scalar's value as YAML 1.1 resolves it (null, bool, int, float, else a string).
    static func value(of node: Node, text: String) -> ConfigNode.Value {
        if isPlainWord(node, text: text) { return .string(text) }
        return switch Resolver.default.resolveTag(of: node) {
        case .null: .null
        case .bool: node.bool.map(ConfigNode.Value.bool) ?? .string(text)
        case .int: node.int.map(ConfigNode.Value.int) ?? .string(text)
        case .float: node.float.map(ConfigNode.Value.double) ?? .string(text)
        default: .string(text)
        }
    }

    /// True for an untagged plain scalar whose first letter starts no YAML 1.1 null, bool, int or float
    /// (`density`, `relu`): a string, found without Yams' regular expressions, which dominate reading a
    /// config with a list of millions of names.
    static func isPlainWord(_ node: Node, text: String) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain, scalar.tag.description.isEmpty,
              let first = text.unicodeScalars.first, first.properties.isAlphabetic
        else { return false }
        return !"yYnNtTfFoO".unicodeScalars.contains(first)
    }
}
