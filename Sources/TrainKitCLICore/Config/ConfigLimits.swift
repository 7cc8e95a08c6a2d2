/// The most a config may hold. A config is a short file someone wrote; these bounds keep a hostile or
/// generated one (deep nesting, an alias bomb, a million keys) from crashing or stalling the reader. Each is
/// checked before the work it bounds, and going over one is a ``ConfigError`` naming the file, line and key.
enum ConfigLimits {
    /// Lists and mappings nest at most this deep (`[[[…]]]`, indented blocks, `--set a.b.c…` paths). The YAML
    /// reader recurses once per level, so the text is scanned for depth (``YAMLDepthScan``) before it parses.
    static let maxDepth = 64
    /// Keys in one config, all mappings together (aliases expanded).
    static let maxKeys = 10_000
    /// Values that aliases (`*name`) may add to a config when they expand.
    static let maxAliasValues = 10_000
    /// Bytes in a config file: a config is written by hand, and the YAML reader's memory grows with the text
    /// (a 28 MB file of 2,000,000 keys took 758 MB before the key limit could refuse it).
    static let maxBytes = 16 << 20
}
