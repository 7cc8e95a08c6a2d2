import Foundation

/// `RunConfig` in JSON (model.json's `config`) is the tree config.yaml holds, with the same snake_case keys,
/// written and read through ``RunConfig/fields`` and the config decoder, so a stored config is checked like a
/// config file. A config stored with camelCase keys (model.json files written before the keys were unified)
/// still reads: its keys are turned into snake_case first, and the model keys its kind does not read (which
/// those files held for every kind: `encoder: bag` for an `mlp`) are dropped.
extension RunConfig {
    public func encode(to encoder: any Encoder) throws {
        try JSONTree(tree).encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let json = try JSONTree(from: decoder)
        var tree = json.configNode
        tree.snakeCaseKeys()
        tree.dropKeysTheKindDoesNotRead()
        do {
            self = try RunConfig.decode(tree, baseDirectory: "/", workingDirectory: "/", checkFiles: false)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }
}

extension ConfigNode {
    /// Rewrites camelCase mapping keys as snake_case (`validationSplit` → `validation_split`, `minLR` →
    /// `min_lr`), except the keys of `strip_suffix`, which are column names.
    mutating func snakeCaseKeys() {
        switch value {
        case .map(var entries):
            for i in entries.indices {
                entries[i].key = snakeCase(entries[i].key)
                if !["strip_suffix", "space"].contains(entries[i].key) { entries[i].value.snakeCaseKeys() }
            }
            value = .map(entries)
        case .list(var items):
            for i in items.indices { items[i].snakeCaseKeys() }
            value = .list(items)
        default: break
        }
    }
}

extension ConfigNode {
    /// Removes the `model` keys that the config's `model.kind` does not read (``ConfigField/kinds``).
    mutating func dropKeysTheKindDoesNotRead() {
        guard case .map(var entries) = value, let m = entries.firstIndex(where: { $0.key == "model" }),
              case .map(let model) = entries[m].value.value else { return }
        let kind = model.first { $0.key == "kind" }.flatMap { entry -> ModelKind? in
            if case .string(let name) = entry.value.value { return ModelKind(rawValue: name) }
            return nil
        } ?? ModelConfig().kind
        entries[m].value.value = .map(model.filter { entry in
            RunConfig.field("model.\(entry.key)")?.kinds.map { $0.contains(kind) } ?? true
        })
        value = .map(entries)
    }
}

/// `validationSplit` → `validation_split`, `minLR` → `min_lr`; snake_case stays as it is.
func snakeCase(_ key: String) -> String {
    var out = ""
    let chars = Array(key)
    for (i, c) in chars.enumerated() {
        if c.isUppercase {
            let previousLower = i > 0 && (chars[i - 1].isLowercase || chars[i - 1].isNumber)
            let nextLower = i + 1 < chars.count && chars[i + 1].isLowercase && i > 0 && chars[i - 1].isUppercase
            if previousLower || nextLower { out.append("_") }
            out.append(contentsOf: c.lowercased())
        } else {
            out.append(c)
        }
    }
    return out
}
