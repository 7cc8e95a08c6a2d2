import Foundation

/// Typed, checked access to one mapping of a config: each getter names the full key path and the expected
/// type when the value does not fit, and ``checkKeys()`` rejects keys the schema does not list.
struct ConfigSection {
    /// The dotted path of this mapping (`"training.optimizer"`, `""` for the top level).
    let path: String
    let node: ConfigNode
    let entries: [ConfigNode.Entry]

    init(_ node: ConfigNode, path: String) throws {
        guard let entries = node.entries ?? (node.value == .null ? [] : nil) else {
            throw ConfigError.wrongType(path: path.isEmpty ? "<document>" : path, expected: "a mapping of keys",
                                        got: node.describe, location: node.location)
        }
        self.path = path
        self.node = node
        self.entries = entries
    }

    func fullPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Throws for the first key the schema does not know in this section.
    func checkKeys() throws {
        let known = ConfigSchema.sections[path] ?? []
        for entry in entries where !known.contains(entry.key) {
            throw ConfigSchema.unknownKey(entry.key, in: path, location: entry.value.location)
        }
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    /// The node under `key`; an explicit `null` counts as absent.
    func value(_ key: String) -> ConfigNode? {
        guard let node = entries.first(where: { $0.key == key })?.value, node.value != .null else { return nil }
        return node
    }

    private func wrong(_ key: String, _ expected: String, _ node: ConfigNode) -> ConfigError {
        .wrongType(path: fullPath(key), expected: expected, got: node.describe, location: node.location)
    }

    func invalid(_ key: String, _ reason: String) -> ConfigError {
        .invalidValue(path: fullPath(key), reason: reason, location: value(key)?.location ?? node.location)
    }

    func section(_ key: String) throws -> ConfigSection? {
        guard let node = value(key) else { return nil }
        return try ConfigSection(node, path: fullPath(key))
    }

    func int(_ key: String) throws -> Int? {
        guard let node = value(key) else { return nil }
        switch node.value {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: throw wrong(key, "an integer", node)
        }
    }

    func double(_ key: String) throws -> Double? {
        guard let node = value(key) else { return nil }
        switch node.value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        // YAML 1.1 reads `1e-3` (no dot) as a string; accept any string that is a plain number.
        case .string(let s) where Double(s) != nil && !s.isEmpty: return Double(s)!
        default: throw wrong(key, "a number", node)
        }
    }

    func bool(_ key: String) throws -> Bool? {
        guard let node = value(key) else { return nil }
        guard case .bool(let b) = node.value else { throw wrong(key, "true or false", node) }
        return b
    }

    func string(_ key: String) throws -> String? {
        guard let node = value(key) else { return nil }
        switch node.value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: throw wrong(key, "a string", node)
        }
    }

    /// A string that must be one of the choices ``RunConfig/fields`` lists for `key` (an unknown one suggests
    /// the nearest).
    func choice(_ key: String) throws -> String? {
        guard let field = RunConfig.field(fullPath(key)), case .choice(let choices) = field.type else {
            preconditionFailure("\(fullPath(key)) is not a choice in RunConfig.fields")
        }
        return try choice(key, choices)
    }

    /// A string that must be one of `choices` (an unknown one suggests the nearest).
    func choice(_ key: String, _ choices: [String]) throws -> String? {
        guard let s = try string(key) else { return nil }
        let normalized = s.lowercased().replacingOccurrences(of: "-", with: "_")
        guard choices.contains(normalized) else {
            let hint = nearest(normalized, among: choices).map { "; did you mean '\($0)'?" } ?? ""
            throw invalid(key, "unknown value '\(s)' (expected one of: \(choices.joined(separator: ", ")))\(hint)")
        }
        return normalized
    }

    func intList(_ key: String) throws -> [Int]? {
        guard let node = value(key) else { return nil }
        if case .int(let i) = node.value { return [i] }
        guard case .list(let items) = node.value else { throw wrong(key, "a list of integers", node) }
        return try items.enumerated().map { i, item in
            guard case .int(let v) = item.value else {
                throw ConfigError.wrongType(path: "\(fullPath(key))[\(i)]", expected: "an integer", got: item.describe,
                                            location: item.location)
            }
            return v
        }
    }

    func doubleList(_ key: String) throws -> [Double]? {
        guard let node = value(key) else { return nil }
        guard case .list(let items) = node.value else { throw wrong(key, "a list of numbers", node) }
        return try items.enumerated().map { i, item in
            switch item.value {
            case .int(let v): return Double(v)
            case .double(let v): return v
            default:
                throw ConfigError.wrongType(path: "\(fullPath(key))[\(i)]", expected: "a number", got: item.describe,
                                            location: item.location)
            }
        }
    }

    func stringList(_ key: String) throws -> [String]? {
        guard let node = value(key) else { return nil }
        if case .string(let s) = node.value { return [s] }
        guard case .list(let items) = node.value else { throw wrong(key, "a list of strings", node) }
        return try items.enumerated().map { i, item in
            switch item.value {
            case .string(let s): return s
            case .int(let v): return String(v)
            case .double(let v): return String(v)
            default:
                throw ConfigError.wrongType(path: "\(fullPath(key))[\(i)]", expected: "a string", got: item.describe,
                                            location: item.location)
            }
        }
    }

    func stringMap(_ key: String) throws -> [String: String]? {
        guard let node = value(key) else { return nil }
        guard let entries = node.entries else { throw wrong(key, "a mapping of strings", node) }
        var out: [String: String] = [:]
        for entry in entries {
            guard case .string(let s) = entry.value.value else {
                throw ConfigError.wrongType(path: "\(fullPath(key)).\(entry.key)", expected: "a string",
                                            got: entry.value.describe, location: entry.value.location)
            }
            out[entry.key] = s
        }
        return out
    }
}
