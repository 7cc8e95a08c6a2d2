import TrainKit

/// Config trees and search-space values: the plain form ``SearchSpace/extract(from:)`` reads, nodes for sampled
/// values, and writing a trial's values in place of their `{tune: ...}` specs.
extension ConfigNode {
    /// The tree as plain Swift values: `[String: Any]`, `[Any]`, `Int`, `Double`, `String`, `Bool`
    /// (`null` becomes the string `"null"`, which no spec reads).
    var plainValue: Any {
        switch value {
        case .null: return "null"
        case .bool(let b): return b
        case .int(let i): return i
        case .double(let d): return d
        case .string(let s): return s
        case .list(let items): return items.map(\.plainValue)
        case .map(let entries):
            var out: [String: Any] = [:]
            for entry in entries { out[entry.key] = entry.value.plainValue }
            return out
        }
    }

    /// The node for a hyperparameter value (`0.003`, `64`, `adamw`, `true`, `[128, 64]`).
    init(parameter: ParameterValue) {
        switch parameter {
        case .int(let v): self.init(Value.int(v))
        case .double(let v): self.init(Value.double(v))
        case .string(let v): self.init(Value.string(v))
        case .bool(let v): self.init(Value.bool(v))
        case .list(let items): self.init(Value.list(items.map { ConfigNode(parameter: $0) }))
        }
    }

    /// The node at a dotted path (`training.optimizer.lr`), if every step is a mapping key.
    func node(at path: String) -> ConfigNode? {
        var node: ConfigNode? = self
        for key in path.split(separator: ".") { node = node?[String(key)] }
        return node
    }

    /// The tree with each dotted path of `params` set to its value, replacing the spec written there.
    func applying(_ params: [String: ParameterValue]) throws -> ConfigNode {
        var tree = self
        for path in params.keys.sorted() {
            var value = ConfigNode(parameter: params[path]!)
            value.location = node(at: path)?.location
            try tree.set(value, at: path.split(separator: ".").map(String.init))
        }
        return tree
    }
}
