/// Every key a config may hold, by section (`""` is the top level). Unknown keys are errors that suggest the
/// nearest of these; docs/config.md documents each one.
enum ConfigSchema {
    static let sections: [String: [String]] = [
        "": ["seed", "data", "model", "training", "output"],
        "data": ["train", "test", "format", "target", "features", "drop", "categorical", "validation_split",
                 "test_split", "stratify", "delimiter", "header", "columns", "comment", "missing_values",
                 "strip_suffix", "text_column", "label_column", "label_first", "user", "item", "rating",
                 "tokenizer", "normalize"],
        "data.tokenizer": ["kind", "vocab_size", "min_frequency", "max_length", "lowercase", "ngrams"],
        "model": ["kind", "hidden", "dropout", "activation", "embedding_dim", "channels", "batch_norm", "encoder",
                  "architecture", "layers", "heads", "latent_dim"],
        "training": ["task", "epochs", "batch_size", "loss", "label_smoothing", "optimizer", "schedule",
                     "early_stopping", "checkpoint", "gradient_clip", "progress", "target_scaling"],
        "training.optimizer": ["name", "lr", "weight_decay", "momentum", "nesterov", "betas"],
        "training.schedule": ["name", "step_size", "gamma", "min_lr", "max_lr", "pct_start", "factor", "patience",
                              "monitor"],
        "training.early_stopping": ["monitor", "patience", "min_delta", "restore_best"],
        "training.checkpoint": ["every_steps", "every_epochs", "keep"],
    ]

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
