import Foundation
import TrainKit

/// Reads one mapping of an RL config: each value by key, typed, with the key path in every error, and every key
/// not read reported as unknown (with the nearest known key) by ``finish()``.
struct RLConfigReader {
    let node: ConfigNode
    let path: String
    private(set) var known: [String] = []

    init(_ node: ConfigNode?, path: String) throws {
        let node = node ?? .emptyMap
        guard node.entries != nil || node.value == .null else {
            throw ConfigError.wrongType(path: path, expected: "a mapping", got: node.describe, location: node.location)
        }
        self.node = node.value == .null ? .emptyMap : node
        self.path = path
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func raw(_ key: String) -> ConfigNode? {
        known.append(key)
        guard let value = node[key], value.value != .null else { return nil }
        return value
    }

    mutating func int(_ key: String, min: Int? = nil) throws -> Int? {
        guard let v = raw(key) else { return nil }
        guard case .int(let i) = v.value else {
            throw ConfigError.wrongType(path: keyPath(key), expected: "an integer", got: v.describe, location: v.location)
        }
        if let min, i < min {
            throw ConfigError.invalidValue(path: keyPath(key), reason: "must be >= \(min), got \(i)", location: v.location)
        }
        return i
    }

    mutating func double(_ key: String) throws -> Double? {
        guard let v = raw(key) else { return nil }
        switch v.value {
        case .int(let i): return Double(i)
        case .double(let d) where d.isFinite: return d
        default:
            throw ConfigError.wrongType(path: keyPath(key), expected: "a finite number", got: v.describe, location: v.location)
        }
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let v = raw(key) else { return nil }
        guard case .bool(let b) = v.value else {
            throw ConfigError.wrongType(path: keyPath(key), expected: "true or false", got: v.describe, location: v.location)
        }
        return b
    }

    mutating func string(_ key: String, choices: [String]? = nil) throws -> String? {
        guard let v = raw(key) else { return nil }
        guard case .string(let s) = v.value else {
            throw ConfigError.wrongType(path: keyPath(key), expected: "a string", got: v.describe, location: v.location)
        }
        if let choices, !choices.contains(s) {
            let hint = nearest(s, among: choices).map { "; did you mean '\($0)'?" } ?? ""
            throw ConfigError.invalidValue(path: keyPath(key),
                                           reason: "'\(s)' is not one of \(choices.joined(separator: ", "))\(hint)",
                                           location: v.location)
        }
        return s
    }

    /// A list of positive integers (`net_arch: [64, 64]`).
    mutating func widths(_ key: String) throws -> [Int]? {
        guard let v = raw(key) else { return nil }
        guard case .list(let items) = v.value else {
            throw ConfigError.wrongType(path: keyPath(key), expected: "a list of layer widths", got: v.describe, location: v.location)
        }
        return try items.map { item in
            guard case .int(let i) = item.value, i >= 1 else {
                throw ConfigError.invalidValue(path: keyPath(key), reason: "layer widths must be integers >= 1, got \(item.describe)",
                                               location: item.location)
            }
            return i
        }
    }

    /// A schedule: a number (constant) or `lin_X` (RL-Zoo: `X · progress remaining`).
    mutating func schedule(_ key: String) throws -> Schedule? {
        guard let v = raw(key) else { return nil }
        switch v.value {
        case .int(let i): return .constant(Double(i))
        case .double(let d): return .constant(d)
        case .string(let s) where s.hasPrefix("lin_"):
            if let x = Double(s.dropFirst(4)), x.isFinite { return .linear(from: x, to: 0) }
        default: break
        }
        throw ConfigError.wrongType(path: keyPath(key), expected: "a number or lin_<number> (a linear schedule to 0)",
                                    got: v.describe, location: v.location)
    }

    /// Throws for the first key that no read asked for.
    func finish() throws {
        for entry in node.entries ?? [] where !known.contains(entry.key) {
            throw ConfigError.unknownKey(path: keyPath(entry.key), suggestion: nearest(entry.key, among: known).map(keyPath),
                                         known: known, location: entry.value.location)
        }
    }
}
