import Foundation

/// A run config as MLflow params: the resolved config tree (config.yaml's keys and values) flattened to dotted
/// keys, `training.optimizer.lr` → `0.001`, lists as `[128, 64]`.
enum ConfigParams {
    /// MLflow's longest param value; longer values are cut with a trailing `…`.
    static let maxValueLength = 6000

    static func flatten(_ config: RunConfig) -> [String: String] {
        var params: [String: String] = [:]
        flatten(config.tree, prefix: "", into: &params)
        return params
    }

    private static func flatten(_ node: ConfigNode, prefix: String, into params: inout [String: String]) {
        if case .map(let entries) = node.value {
            for entry in entries {
                flatten(entry.value, prefix: prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)", into: &params)
            }
            return
        }
        let text = self.text(node)
        params[prefix] = text.count > maxValueLength ? String(text.prefix(maxValueLength - 1)) + "…" : text
    }

    /// A value as one line: a string as it is, other scalars as YAML writes them, lists and mappings in YAML's flow
    /// style with their strings quoted (`["", "?", "NA"]`), so a YAML reader gets the value back.
    static func text(_ node: ConfigNode, quoted: Bool = false) -> String {
        switch node.value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): "\(i)"
        case .double(let d): "\(d)"
        case .string(let s): quoted ? quote(s) : s
        case .list(let items): "[" + items.map { text($0, quoted: true) }.joined(separator: ", ") + "]"
        case .map(let entries):
            "{" + entries.map { "\(quote($0.key)): \(text($0.value, quoted: true))" }.joined(separator: ", ") + "}"
        }
    }

    /// A double-quoted string with JSON's escapes (also valid YAML).
    private static func quote(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
