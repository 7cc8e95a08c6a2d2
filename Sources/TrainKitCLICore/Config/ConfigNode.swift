import Foundation
import Yams

/// A YAML value with its place in the file: the untyped tree a config is read into before it is checked
/// and decoded into ``RunConfig``. Mappings keep their key order.
public struct ConfigNode: Equatable, Sendable {
    public indirect enum Value: Equatable, Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case list([ConfigNode])
        case map([Entry])
    }

    /// One key of a mapping.
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var value: ConfigNode
        public init(key: String, value: ConfigNode) {
            self.key = key
            self.value = value
        }
    }

    public var value: Value
    public var location: ConfigLocation?

    public init(_ value: Value, location: ConfigLocation? = nil) {
        self.value = value
        self.location = location
    }

    public static func == (a: ConfigNode, b: ConfigNode) -> Bool { a.value == b.value }

    /// An empty mapping.
    public static var emptyMap: ConfigNode { ConfigNode(.map([])) }

    // MARK: - Reading YAML

    /// Parses YAML text; an empty document is an empty mapping. The text is scanned for nesting depth before
    /// Yams reads it, and the tree is read within ``ConfigLimits`` (keys, alias expansion).
    /// - Parameter file: the name used in locations and errors.
    public static func parse(yaml: String, file: String) throws -> ConfigNode {
        let scan = try YAMLDepthScan(yaml, file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigError.syntax(file: file, reason: "\(error)".replacingOccurrences(of: "\n", with: " "))
        }
        guard let node else { return .emptyMap }
        var reader = ConfigReader(file: file, scan: scan)
        return try reader.read(node)
    }

    /// Reads a YAML file.
    public static func load(file: String) throws -> ConfigNode {
        // `stat` first: a device (/dev/zero) or a FIFO would be read forever, a huge file into memory.
        var info = stat()
        guard stat(file, &info) == 0 else {
            throw ConfigError.unreadable(file: file, reason: "no such file")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ConfigError.unreadable(file: file, reason: "not a regular file (a folder, a device or a FIFO)")
        }
        guard info.st_size <= ConfigLimits.maxBytes else {
            throw ConfigError.unreadable(
                file: file, reason: "\(info.st_size) bytes; a config may be at most \(ConfigLimits.maxBytes >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError.unreadable(file: file, reason: "permission denied or not a file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadable(file: file, reason: "not UTF-8 text")
        }
        return try parse(yaml: text, file: file)
    }

    // MARK: - Access

    /// The entries of a mapping (nil for other values).
    public var entries: [Entry]? {
        if case .map(let entries) = value { return entries }
        return nil
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> ConfigNode? {
        entries?.first(where: { $0.key == key })?.value
    }

    /// Sets the value at a dotted key path, creating mappings on the way (`--set training.optimizer.lr=0.01`).
    /// Linear in the path's length; ``ConfigOverride`` bounds that length by ``ConfigLimits/maxDepth``.
    /// - Throws: ``ConfigError/wrongType(path:expected:got:location:)`` when a prefix of the path is not a mapping.
    public mutating func set(_ newValue: ConfigNode, at path: [String]) throws {
        try set(newValue, at: path[...], in: path)
    }

    /// Sets `rest`, the end of `path` below this node.
    private mutating func set(_ newValue: ConfigNode, at rest: ArraySlice<String>, in path: [String]) throws {
        guard let key = rest.first else {
            self = newValue
            return
        }
        guard var entries = self.entries ?? (value == .null ? [] : nil) else {
            let walked = path[..<rest.startIndex]
            throw ConfigError.wrongType(path: walked.isEmpty ? "<root>" : walked.joined(separator: "."),
                                        expected: "a mapping (to set '\(rest.joined(separator: "."))' inside it)",
                                        got: describe, location: location)
        }
        value = .null  // leaves `entries` the only reference, so the edit below copies nothing
        defer { value = .map(entries) }
        if let i = entries.firstIndex(where: { $0.key == key }) {
            try entries[i].value.set(newValue, at: rest.dropFirst(), in: path)
        } else {
            var child = ConfigNode.emptyMap
            try child.set(newValue, at: rest.dropFirst(), in: path)
            entries.append(Entry(key: key, value: child))
        }
    }

    /// A short description of the value for error messages (`the string "ten"`, `a list`).
    public var describe: String {
        switch value {
        case .null: "nothing (null)"
        case .bool(let b): "the boolean \(b)"
        case .int(let i): "the integer \(i)"
        case .double(let d): "the number \(d)"
        case .string(let s): "the string \"\(s)\""
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    // MARK: - Writing YAML

    /// The value as a Yams node (for writing the resolved config).
    public var yamlNode: Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .int(let i): return Node(String(i), Tag(.int))
        case .double(let d): return Node(Self.format(d), Tag(.float))
        case .string(let s): return Node(s, Tag(.str))
        case .list(let items): return Node(items.map(\.yamlNode), Tag(.seq), items.count <= 8 && items.allSatisfy(\.isScalar) ? .flow : .block)
        case .map(let entries): return Node(entries.map { (Node($0.key), $0.value.yamlNode) }, Tag(.map))
        }
    }

    var isScalar: Bool {
        switch value {
        case .list, .map: false
        default: true
        }
    }

    /// YAML text for this tree.
    public func yamlText() throws -> String { try Yams.serialize(node: yamlNode, sortKeys: false) }

    static func format(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        var text = "\(d)"
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        if text.contains("e") && !text.contains(".") {  // YAML 1.1 floats need a dot: 1e-05 -> 1.0e-05
            text = text.replacingOccurrences(of: "e", with: ".0e")
        }
        return text
    }
}
