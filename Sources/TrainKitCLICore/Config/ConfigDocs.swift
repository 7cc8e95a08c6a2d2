/// The key tables of docs/config.md, made from ``RunConfig/fields``. The file marks each table with
/// `<!-- BEGIN generated: trainkit config docs SECTION -->` and `<!-- END generated -->`;
/// `trainkit config docs --update docs/config.md` rewrites what lies between, and a test fails when the file
/// and the fields disagree.
enum ConfigDocs {
    /// The documented groups: the top level and each top-level section.
    static let groups = ["", "data", "model", "training", "tracking", "pipeline"]

    static func beginMarker(_ group: String) -> String {
        "<!-- BEGIN generated: trainkit config docs \(group.isEmpty ? "top-level" : group) -->"
    }
    static let endMarker = "<!-- END generated -->"

    /// The markdown table of one group: every key under it (sections only at the top level, or where a
    /// shorter form stands for them), relative to the group.
    static func table(_ group: String) -> String {
        let rows = RunConfig.fields.filter { field in
            let inGroup = group.isEmpty ? field.section.isEmpty : field.path.hasPrefix(group + ".")
            guard inGroup else { return false }
            if case .sectionOr = field.type { return true }
            return !field.isSection || group.isEmpty
        }
        var lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
        for field in rows {
            let key = group.isEmpty ? field.path : String(field.path.dropFirst(group.count + 1))
            let only = field.kinds.map { kinds in kinds.map { "`\($0.rawValue)`" }.joined(separator: ", ") + " only: " } ?? ""
            lines.append("| `\(key)` | \(typeText(field)) | \(field.defaultText) | \(only)\(field.doc) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Every group's table under a heading (what `trainkit config docs` prints).
    static var allTables: String {
        groups.map { "### \($0.isEmpty ? "Top level" : "`\($0)`")\n\n\(table($0))\n" }.joined(separator: "\n")
    }

    /// `markdown` with each marked table replaced by the current one.
    /// - Throws: ``ConfigError/usage(_:)`` when a begin marker has no end marker.
    static func update(_ markdown: String) throws -> String {
        var text = markdown
        for group in groups {
            let begin = beginMarker(group)
            guard let start = text.range(of: begin) else { continue }
            guard let end = text.range(of: endMarker, range: start.upperBound..<text.endIndex) else {
                throw ConfigError.usage("\(begin) has no \(endMarker) after it")
            }
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: "\n" + table(group) + "\n")
        }
        return text
    }

    /// The type column: `integer ≥ 1`, `number in [0, 1)`, `` `adam` `sgd` ``, `list of strings`.
    static func typeText(_ field: ConfigField) -> String {
        var text = typeText(field.type, bounds: field.bounds, count: field.count)
        if let note = field.typeNote { text += ", \(note)" }
        return text
    }

    private static func typeText(_ type: ConfigValueType, bounds: ConfigBounds?, count: Int?, plural: Bool = false) -> String {
        let range = bounds.map { " \($0.text)" } ?? ""
        switch type {
        case .integer: return (plural ? "integers" : "integer") + range
        case .number: return (plural ? "numbers" : "number") + range
        case .boolean: return plural ? "booleans" : "boolean"
        case .string: return plural ? "strings" : "string"
        case .path: return plural ? "paths" : "path"
        case .choice(let names): return names.map { "`\($0)`" }.joined(separator: " ")
        case .list(let item):
            return "list of " + (count.map { "\($0) " } ?? "") + typeText(item, bounds: bounds, count: nil, plural: true)
        case .stringMap: return "mapping column → string"
        case .searchSpace: return "mapping key path → `{tune: …}` spec"
        case .section: return "mapping"
        case .sectionOr(let short): return "mapping, or " + typeText(short, bounds: bounds, count: count)
        }
    }
}
