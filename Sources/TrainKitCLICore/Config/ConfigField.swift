/// One key of the run config: its dotted path, value type, bounds, default, documentation and how the
/// resolved value is written back. ``RunConfig/fields`` lists them all, once; the unknown-key check
/// (``ConfigSchema``), the YAML writer (``RunConfig/tree``), the `Codable` form in model.json, the key tables
/// of docs/config.md (``ConfigDocs``) and the JSON Schema (``ConfigJSONSchema``) all come from that list.
struct ConfigField: Sendable {
    /// The dotted key path (`training.optimizer.lr`).
    let path: String
    let type: ConfigValueType
    /// Bounds of a number or integer (and of each number of a list).
    var bounds: ConfigBounds? = nil
    /// The default as docs/config.md states it (some depend on other keys).
    let defaultText: String
    /// What the key does (markdown, one paragraph).
    let doc: String
    /// The model kinds that read this key (nil: every kind); for the others it is an error.
    var kinds: [ModelKind]? = nil
    /// Extra words for the type column of the docs (`dividing embedding_dim`).
    var typeNote: String? = nil
    /// Exact list length (`betas`: 2).
    var count: Int? = nil
    /// The resolved value as written to config.yaml and model.json; nil writes nothing (a section's value
    /// comes from its fields unless this gives one, such as `early_stopping: false`).
    let write: @Sendable (RunConfig) -> ConfigNode.Value?

    /// The path of the mapping that holds this key (`""` for the top level).
    var section: String {
        guard let dot = path.lastIndex(of: ".") else { return "" }
        return String(path[..<dot])
    }

    /// The key within its mapping.
    var key: String {
        guard let dot = path.lastIndex(of: ".") else { return path }
        return String(path[path.index(after: dot)...])
    }

    /// True for a mapping of further keys (also when a shorter form is allowed, as `schedule: cosine`).
    var isSection: Bool {
        switch type {
        case .section, .sectionOr: true
        default: false
        }
    }
}

/// The value type of a config key, as the reader accepts it.
indirect enum ConfigValueType: Sendable, Equatable {
    case integer
    case number
    case boolean
    case string
    /// A file or directory path (a string).
    case path
    /// One of these strings.
    case choice([String])
    /// A list of values; a list of integers or strings also accepts a single value.
    case list(ConfigValueType)
    /// A mapping of names to strings (`strip_suffix`).
    case stringMap
    /// A mapping of config key paths to `{tune: ...}` search specs (`pipeline.search.space`).
    case searchSpace
    /// A mapping of further keys.
    case section
    /// A mapping of further keys, or a value of this type for short (`schedule: cosine`, `early_stopping: true`).
    case sectionOr(ConfigValueType)
}

/// Bounds of a numeric key: `low ≤ x` (or `<` when `lowOpen`), `x ≤ high` (or `<` when `highOpen`).
struct ConfigBounds: Sendable, Equatable {
    var low: Double?
    var lowOpen = false
    var high: Double?
    var highOpen = false

    /// `≥ low`.
    static func atLeast(_ low: Double) -> ConfigBounds { ConfigBounds(low: low) }
    /// `> low`.
    static func above(_ low: Double) -> ConfigBounds { ConfigBounds(low: low, lowOpen: true) }
    /// `[0, 1)`.
    static let fraction = ConfigBounds(low: 0, high: 1, highOpen: true)
    /// `(0, 1)`.
    static let openFraction = ConfigBounds(low: 0, lowOpen: true, high: 1, highOpen: true)

    /// `≥ 1`, `> 0`, `in [0, 1)`.
    var text: String {
        func n(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
        switch (low, high) {
        case let (low?, high?): return "in \(lowOpen ? "(" : "[")\(n(low)), \(n(high))\(highOpen ? ")" : "]")"
        case let (low?, nil): return lowOpen ? "> \(n(low))" : "≥ \(n(low))"
        case let (nil, high?): return highOpen ? "< \(n(high))" : "≤ \(n(high))"
        case (nil, nil): return ""
        }
    }

    func contains(_ v: Double) -> Bool {
        if let low, lowOpen ? !(v > low) : !(v >= low) { return false }
        if let high, highOpen ? !(v < high) : !(v <= high) { return false }
        return true
    }
}
