/// Every key a config may hold, by section (`""` is the top level), as ``RunConfig/fields`` defines them.
/// Unknown keys are errors that suggest the nearest of these.
enum ConfigSchema {
    /// The keys of each mapping, from ``RunConfig/fields``.
    static let sections: [String: [String]] = Dictionary(grouping: RunConfig.fields, by: \.section)
        .mapValues { $0.map(\.key) }

    /// Every known key as a full dotted path.
    static var allPaths: [String] {
        sections.flatMap { section, keys in keys.map { section.isEmpty ? $0 : "\(section).\($0)" } }.sorted()
    }

    /// The error for `key` found under `section`: suggests the nearest key of the same section, else a key of
    /// that name in another section, else lists the section's keys.
    static func unknownKey(_ key: String, in section: String, location: ConfigLocation?) -> ConfigError {
        let known = sections[section] ?? []
        let path = section.isEmpty ? key : "\(section).\(key)"
        func full(_ k: String) -> String { section.isEmpty ? k : "\(section).\(k)" }
        if let close = nearest(key, among: known) {
            return .unknownKey(path: path, suggestion: full(close), known: known, location: location)
        }
        let elsewhere = allPaths.filter { $0.split(separator: ".").last.map(String.init) == key }
        if let other = elsewhere.first {
            return .unknownKey(path: path, suggestion: other, known: known, location: location)
        }
        if let close = nearest(path, among: allPaths) {
            return .unknownKey(path: path, suggestion: close, known: known, location: location)
        }
        return .unknownKey(path: path, suggestion: nil, known: known, location: location)
    }
}
