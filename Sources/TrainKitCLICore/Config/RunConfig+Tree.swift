/// The resolved config as a YAML tree: every key with its value (defaults filled in, paths absolute), in the
/// order of ``RunConfig/fields`` (docs/config.md's order). Decoding this tree gives the same ``RunConfig``.
extension RunConfig {
    public var tree: ConfigNode { ConfigNode(mapping(of: "")) }

    /// The resolved config as YAML text.
    public func yamlText() throws -> String { try tree.yamlText() }

    /// The mapping `section` as the fields write it: a section's own value where it gives one
    /// (`early_stopping: false`), else the mapping of its fields.
    private func mapping(of section: String) -> ConfigNode.Value {
        .map(Self.fields.filter { $0.section == section }.compactMap { field in
            var value = field.write(self) ?? (field.isSection ? mapping(of: field.path) : nil)
            // A section none of whose keys has a value (no `pipeline`) is left out.
            if field.isSection, case .map(let entries)? = value, entries.isEmpty { value = nil }
            return value.map { ConfigNode.Entry(key: field.key, value: ConfigNode($0)) }
        })
    }
}
