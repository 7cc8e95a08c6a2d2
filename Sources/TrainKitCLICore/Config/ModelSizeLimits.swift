import Foundation

/// The largest model and batch a run may ask for. Sizes in a config are multiplied together into weight
/// tables and activations, so an absurd one (`hidden: [1e9]`, `layers: 1000000`) would fail allocating
/// gigabytes, or overflow, long after the config was read. Each limit is checked while the config is decoded,
/// before any data is read or weight allocated; a size over one is a ``ConfigError`` naming the key, the value
/// and the limit.
enum ModelSizeLimits {
    /// Units per layer: each `model.hidden` width, `channels`, `embedding_dim`, `latent_dim`, `heads`.
    static let maxWidth = 1 << 20
    /// `model.layers`: encoder layers (text) or residual blocks per stage (resnet).
    static let maxLayers = 1 << 10
    /// `training.batch_size`.
    static let maxBatchSize = 1 << 24
    /// `data.tokenizer.max_length`: every text is padded to it.
    static let maxSequenceLength = 1 << 14
    /// `data.tokenizer.vocab_size`.
    static let maxVocabularySize = 1 << 24
    /// The model's parameters, all layers together (8 GiB of float32 weights).
    static let maxParameters = 1 << 31
    /// Values one example makes in the model's largest activation (a layer's output, an attention matrix).
    static let maxActivationsPerExample = 1 << 26
}

extension RunConfig {
    /// Refuses sizes above ``ModelSizeLimits``: each width, layer count, batch size, text length and
    /// vocabulary, then the parameter count and largest activation the config implies. Sizes that come from
    /// the data (input width, classes, image shape, users) count as 1 here; ``checkModelSize(spec:)`` checks
    /// them once the data is known.
    static func checkSizes(_ config: RunConfig, tree: ConfigNode) throws {
        func limit(_ key: String, _ values: [Int]?, _ limit: Int, _ what: String) throws {
            guard let values, let i = values.firstIndex(where: { $0 > limit }) else { return }
            let node = key.split(separator: ".").reduce(tree as ConfigNode?) { $0?[String($1)] }
            let which = values.count > 1 ? " (\(key.split(separator: ".").last!)[\(i)])" : ""
            throw ConfigError.invalidValue(
                path: key, reason: "\(values[i])\(which) is above the limit of \(limit) \(what)", location: node?.location)
        }
        let m = config.model, tokenizer = config.data.tokenizer
        try limit("model.hidden", m.hidden, ModelSizeLimits.maxWidth, "units per layer")
        try limit("model.channels", m.channels, ModelSizeLimits.maxWidth, "channels per layer")
        try limit("model.embedding_dim", m.embeddingDim.map { [$0] }, ModelSizeLimits.maxWidth, "units")
        try limit("model.latent_dim", [m.latentDim], ModelSizeLimits.maxWidth, "units")
        try limit("model.heads", [m.heads], ModelSizeLimits.maxWidth, "heads")
        try limit("model.layers", m.layers.map { [$0] }, ModelSizeLimits.maxLayers, "layers")
        try limit("training.batch_size", [config.training.batchSize], ModelSizeLimits.maxBatchSize, "examples per batch")
        try limit("data.tokenizer.max_length", [tokenizer.maxLength], ModelSizeLimits.maxSequenceLength,
                  "tokens per text (each text is padded to it)")
        try limit("data.tokenizer.vocab_size", [tokenizer.vocabSize], ModelSizeLimits.maxVocabularySize, "tokens")
        do {
            try checkModelSize(spec: ModelSpec(configOnly: config))
        } catch ConfigError.invalidValue(let path, let reason, _) {
            throw ConfigError.invalidValue(path: path, reason: reason, location: tree["model"]?.location)
        }
    }
}

/// Refuses a model whose parameter count or largest activation per example, estimated from `spec`, is above
/// ``ModelSizeLimits``. Call it with the spec built from the data, before ``ModelFactory/build(_:)``.
/// - Throws: ``ConfigError/invalidValue(path:reason:location:)`` for `model`, naming the largest part.
func checkModelSize(spec: ModelSpec) throws {
    let estimate = ModelSizeEstimate(spec)
    if estimate.parameters > Double(ModelSizeLimits.maxParameters) {
        let largest = estimate.parts.max { $0.parameters < $1.parameters }!
        throw ConfigError.invalidValue(
            path: "model",
            reason: "the model would have about \(roughCount(estimate.parameters)) parameters, \(roughCount(largest.parameters)) of them in \(largest.what); the limit is \(ModelSizeLimits.maxParameters)",
            location: nil)
    }
    let activation = estimate.largestActivation
    if activation.values > Double(ModelSizeLimits.maxActivationsPerExample) {
        throw ConfigError.invalidValue(
            path: "model",
            reason: "\(activation.what) would hold about \(roughCount(activation.values)) values per example; the limit is \(ModelSizeLimits.maxActivationsPerExample)",
            location: nil)
    }
}

/// `3.4e+10`-style text for a large estimate.
private func roughCount(_ x: Double) -> String { x < 1e6 ? String(Int(x)) : String(format: "%.2g", x) }
