extension RunConfig {
    /// The model keys that only some kinds read: `encoder` (text), `architecture` (recommender), `layers`
    /// (text encoders, resnet), `heads` (text transformer), `latent_dim` (autoencoder). A key set for a kind
    /// that ignores it (``ConfigField/kinds``) is an error, so a typo in `kind` does not silently train another model.
    static func decodeArchitectureKeys(_ s: ConfigSection, into m: inout ModelConfig) throws {
        for field in fields where field.section == "model" {
            guard let kinds = field.kinds, s.has(field.key), !kinds.contains(m.kind) else { continue }
            throw s.invalid(field.key, "is read by model kind \(kinds.map { "'\($0.rawValue)'" }.joined(separator: " or ")), not '\(m.kind.rawValue)'")
        }
        m.encoder = try s.choice("encoder") ?? m.encoder
        m.architecture = try s.choice("architecture") ?? m.architecture
        if let layers = try s.int("layers") {
            guard layers >= 1 else { throw s.invalid("layers", "must be >= 1, got \(layers)") }
            guard m.kind != .text || m.encoder != "bag" else {
                throw s.invalid("layers", "the 'bag' text encoder has no layers (set encoder: lstm or transformer)")
            }
            m.layers = layers
        }
        if let heads = try s.int("heads") {
            guard heads >= 1 else { throw s.invalid("heads", "must be >= 1, got \(heads)") }
            m.heads = heads
        }
        if m.kind == .text && m.encoder == "transformer" {
            let width = m.embeddingDim ?? 64
            guard width % m.heads == 0 else {
                throw s.invalid("heads", "\(m.heads) heads do not divide embedding_dim \(width)")
            }
        }
        if let latent = try s.int("latent_dim") {
            guard latent >= 1 else { throw s.invalid("latent_dim", "must be >= 1, got \(latent)") }
            m.latentDim = latent
        }
    }
}
