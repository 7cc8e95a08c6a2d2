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

    /// A value as one line: scalars as YAML writes them, lists in brackets, mappings in braces.
    static func text(_ node: ConfigNode) -> String {
        switch node.value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): "\(i)"
        case .double(let d): "\(d)"
        case .string(let s): s
        case .list(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .map(let entries): "{" + entries.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
