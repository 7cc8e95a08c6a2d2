import Foundation

/// The run config as a JSON Schema (draft-07), made from ``RunConfig/fields``: what `trainkit config schema`
/// prints for editors (a YAML language server validates and completes configs with it).
///
/// It states what the reader accepts: a list of integers or strings may be one value, a number may be
/// written `1e-3` (a string in YAML 1.1), a string key takes any scalar, and any value may be a search spec
/// (`{tune: ...}`, see docs/config.md). Checks that span keys (a loss that fits the task, the keys some
/// model kinds read) are the reader's; the schema holds each key's own type, range and choices.
enum ConfigJSONSchema {
    /// The schema as a JSON tree.
    static var schema: JSONTree {
        var root = section("")
        root.insert(("$schema", .string("http://json-schema.org/draft-07/schema#")), at: 0)
        root.insert(("title", .string("TrainKit run config")), at: 1)
        root.append(("definitions", .object([("tune", tuneSpec)])))
        return .object(root)
    }

    /// The schema as JSON text.
    static func text() throws -> String {
        String(decoding: try JSONCoding.encode(schema), as: UTF8.self)
    }

    /// A number written as text (`1e-3`, which YAML 1.1 reads as a string).
    static let numericString = #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#

    private static let required: [String: [String]] = ["": ["data"], "data": ["train"]]

    /// The object schema of a mapping of keys.
    private static func section(_ path: String) -> [(String, JSONTree)] {
        let fields = RunConfig.fields.filter { $0.section == path }
        var object: [(String, JSONTree)] = [("type", .string("object"))]
        object.append(("properties", .object(fields.map { ($0.key, property($0)) })))
        if let keys = required[path] { object.append(("required", .array(keys.map { .string($0) }))) }
        object.append(("additionalProperties", .bool(false)))
        return object
    }

    /// One key: its value schema (with its description and default), or a search spec.
    private static func property(_ field: ConfigField) -> JSONTree {
        var described: [(String, JSONTree)] = [("description", .string(field.doc))]
        if let value = defaultValue(field) { described.append(("default", value)) }
        let own = valueSchema(field.type, field: field, path: field.path)
        return .object(described + [("anyOf", .array([.object(own), .object([("$ref", .string("#/definitions/tune"))])]))])
    }

    /// The default where it is one value for every config (not `runs/<name>`, not one that depends on the kind).
    private static func defaultValue(_ field: ConfigField) -> JSONTree? {
        guard !field.isSection, field.type != .path, field.kinds == nil,
              !field.defaultText.contains(" ") || field.defaultText.hasPrefix("`[") else { return nil }
        guard let value = field.write(RunConfig()) else { return nil }
        return JSONTree(ConfigNode(value))
    }

    private static func valueSchema(_ type: ConfigValueType, field: ConfigField, path: String) -> [(String, JSONTree)] {
        switch type {
        case .integer: return [("type", .string("integer"))] + bounds(field.bounds)
        case .number:
            return [("anyOf", .array([.object([("type", .string("number"))] + bounds(field.bounds)),
                                      .object([("type", .string("string")), ("pattern", .string(numericString))])]))]
        case .boolean: return [("type", .string("boolean"))]
        case .string, .path: return [("type", .array([.string("string"), .string("number"), .string("boolean")]))]
        case .choice(let names): return [("enum", .array(names.map { .string($0) }))]
        case .list(let item):
            var array: [(String, JSONTree)] = [("type", .string("array")),
                                               ("items", .object(valueSchema(item, field: field, path: path)))]
            if let count = field.count { array += [("minItems", .int(count)), ("maxItems", .int(count))] }
            guard item == .integer || item == .string else { return array }
            return [("anyOf", .array([.object(valueSchema(item, field: field, path: path)), .object(array)]))]
        case .stringMap:
            return [("type", .string("object")), ("additionalProperties", .object([("type", .string("string"))]))]
        case .searchSpace:
            return [("type", .string("object")), ("additionalProperties", .object([("$ref", .string("#/definitions/tune"))]))]
        case .section: return section(path)
        case .sectionOr(let short):
            return [("anyOf", .array([.object(section(path)), .object(valueSchema(short, field: field, path: path))]))]
        }
    }

    private static func bounds(_ bounds: ConfigBounds?) -> [(String, JSONTree)] {
        guard let bounds else { return [] }
        var out: [(String, JSONTree)] = []
        if let low = bounds.low { out.append((bounds.lowOpen ? "exclusiveMinimum" : "minimum", number(low))) }
        if let high = bounds.high { out.append((bounds.highOpen ? "exclusiveMaximum" : "maximum", number(high))) }
        return out
    }

    private static func number(_ v: Double) -> JSONTree { v == v.rounded() && abs(v) < 1e15 ? .int(Int(v)) : .double(v) }

    /// `{tune: choice, values: [...]}`, `{tune: uniform | loguniform, low, high}`, `{tune: int, low, high, step, log}`.
    private static let tuneSpec: JSONTree = .object([
        ("description", .string("A search spec for `trainkit tune` (docs/config.md, Search spaces).")),
        ("type", .string("object")),
        ("properties", .object([
            ("tune", .object([("enum", .array(["choice", "categorical", "uniform", "loguniform", "log_uniform",
                                                "log-uniform", "int", "integer", "randint"].map { .string($0) }))])),
            ("values", .object([("type", .string("array"))])),
            ("low", .object([("type", .string("number"))])),
            ("high", .object([("type", .string("number"))])),
            ("step", .object([("type", .string("number"))])),
            ("log", .object([("type", .string("boolean"))])),
        ])),
        ("required", .array([.string("tune")])),
        ("additionalProperties", .bool(false)),
    ])
}
