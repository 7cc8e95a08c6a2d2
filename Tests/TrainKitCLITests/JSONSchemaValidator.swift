import Foundation
@testable import TrainKitCLICore

/// A validator for the subset of JSON Schema (draft-07) that ``ConfigJSONSchema`` emits: `type`, `enum`,
/// `anyOf`, `$ref` (to `#/definitions/…`), `properties`, `required`, `additionalProperties`, `items`,
/// `minItems`, `maxItems`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `pattern`. A keyword
/// outside the subset is reported as an error, so the schema cannot grow past what this checks.
struct JSONSchemaValidator {
    let root: JSONTree

    static let known: Set<String> = ["$schema", "title", "description", "default", "definitions", "type", "enum",
                                     "anyOf", "$ref", "properties", "required", "additionalProperties", "items",
                                     "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum",
                                     "exclusiveMaximum", "pattern"]

    /// The problems of `value` against the root schema, each with its path (`data.validation_split`).
    func errors(_ value: JSONTree) -> [String] { errors(value, root, path: "") }

    private func errors(_ value: JSONTree, _ schema: JSONTree, path: String) -> [String] {
        guard case .object(let keywords) = schema else { return ["\(path): schema is not an object"] }
        let s = Dictionary(keywords, uniquingKeysWith: { a, _ in a })
        var out: [String] = []
        for key in s.keys where !Self.known.contains(key) { out.append("\(path): unsupported keyword \(key)") }
        if case .string(let ref)? = s["$ref"] {
            let name = String(ref.dropFirst("#/definitions/".count))
            guard case .object(let root) = root, case .object(let defs)? = root.first(where: { $0.0 == "definitions" })?.1,
                  let target = defs.first(where: { $0.0 == name })?.1 else { return ["\(path): unknown $ref \(ref)"] }
            out += errors(value, target, path: path)
        }
        if case .array(let options)? = s["anyOf"] {
            // None fits: the problems of the form that fits best.
            let each = options.map { errors(value, $0, path: path) }
            if !each.contains(where: \.isEmpty), let closest = each.min(by: { $0.count < $1.count }) { out += closest }
        }
        if let type = s["type"] {
            let names: [String] = switch type {
            case .string(let n): [n]
            case .array(let items): items.compactMap { if case .string(let n) = $0 { n } else { nil } }
            default: []
            }
            if !names.contains(where: { Self.has(value, type: $0) }) { out.append("\(path): expected \(names.joined(separator: " or "))") }
        }
        if case .array(let allowed)? = s["enum"], !allowed.contains(value) { out.append("\(path): not one of the allowed values") }
        if let v = Self.number(value) {
            if let low = s["minimum"].flatMap(Self.number), v < low { out.append("\(path): below \(low)") }
            if let low = s["exclusiveMinimum"].flatMap(Self.number), v <= low { out.append("\(path): not above \(low)") }
            if let high = s["maximum"].flatMap(Self.number), v > high { out.append("\(path): above \(high)") }
            if let high = s["exclusiveMaximum"].flatMap(Self.number), v >= high { out.append("\(path): not below \(high)") }
        }
        if case .string(let text) = value, case .string(let pattern)? = s["pattern"],
           text.range(of: pattern, options: .regularExpression) == nil {
            out.append("\(path): does not match \(pattern)")
        }
        if case .array(let items) = value {
            if let n = s["minItems"].flatMap(Self.number), Double(items.count) < n { out.append("\(path): fewer than \(n) items") }
            if let n = s["maxItems"].flatMap(Self.number), Double(items.count) > n { out.append("\(path): more than \(n) items") }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() { out += errors(item, itemSchema, path: "\(path)[\(i)]") }
            }
        }
        if case .object(let entries) = value {
            let properties: [(String, JSONTree)] = if case .object(let p)? = s["properties"] { p } else { [] }
            if case .array(let required)? = s["required"] {
                for case .string(let key) in required where !entries.contains(where: { $0.0 == key }) {
                    out.append("\(path): missing \(key)")
                }
            }
            for (key, item) in entries {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if let p = properties.first(where: { $0.0 == key })?.1 {
                    out += errors(item, p, path: child)
                } else if case .bool(false)? = s["additionalProperties"] {
                    out.append("\(child): unknown key")
                } else if let extra = s["additionalProperties"], case .object = extra {
                    out += errors(item, extra, path: child)
                }
            }
        }
        return out
    }

    private static func number(_ value: JSONTree) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    private static func has(_ value: JSONTree, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("integer", .int): true
        case ("integer", .double(let d)): d == d.rounded()
        case ("number", .int), ("number", .double): true
        default: false
        }
    }
}
