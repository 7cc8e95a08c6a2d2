/// The size of the model a ``ModelSpec`` describes, worked out without building it: parameters by part and
/// the largest activation one example makes. Counted in `Double`, so absurd sizes give large numbers instead
/// of overflowing; close to ``ModelFactory``'s layers (biases and norms included where they matter), which
/// is enough to compare against ``ModelSizeLimits``.
struct ModelSizeEstimate {
    /// Parameters per part (`"the hidden layers"`, `"the token embedding"`).
    private(set) var parts: [(what: String, parameters: Double)] = []
    /// The largest activation and its values per example.
    private(set) var largestActivation: (what: String, values: Double) = ("", 0)

    var parameters: Double { parts.reduce(0) { $0 + $1.parameters } }

    init(_ spec: ModelSpec) {
        let hidden = spec.hidden.map(Double.init)
        switch spec.kind {
        case .mlp, .linear:
            addMLP(input: Double(spec.inputSize), hidden: hidden, output: Double(spec.outputSize))
        case .tabular:
            let cards = (spec.columnCardinalities ?? []).map(Double.init)
            let dims = (spec.columnEmbeddingDims ?? []).map(Double.init)
            add("the column embeddings", zip(cards, dims).reduce(0) { $0 + $1.0 * $1.1 })
            let input = zip(cards, dims).reduce(0) { $0 + ($1.0 == 0 ? 1 : $1.1) }
            addMLP(input: Swift.max(input, 1), hidden: hidden, output: Double(spec.outputSize))
        case .cnn, .resnet:
            addConvolutions(spec)
        case .text:
            addText(spec)
        case .recommender:
            let k = Double(spec.embeddingDim ?? 16)
            let ids = Double(spec.userCount ?? 1) + Double(spec.itemCount ?? 1)
            let ncf = spec.architecture == "ncf"
            add("the user and item tables", ids * (ncf ? 2 * k + 1 : k + 1))
            if ncf { addMLP(input: 2 * k, hidden: hidden, output: 1) }
        case .autoencoder:
            let input = Double(spec.inputSize), latent = Double(spec.latentDim ?? 8)
            addMLP(input: input, hidden: hidden, output: latent, what: "the encoder")
            addMLP(input: latent, hidden: hidden.reversed(), output: input, what: "the decoder")
        case .kmeans, .pca, .gmm:  // centres, components or means (a full mixture also holds k covariances)
            let (k, d) = (Double(spec.outputSize), Double(spec.inputSize))
            add("the fitted state", spec.kind == .gmm ? k * d * (d + 1) : k * d)
        }
    }

    private mutating func add(_ what: String, _ parameters: Double) { parts.append((what, parameters)) }

    private mutating func activation(_ what: String, _ values: Double) {
        if values > largestActivation.values { largestActivation = (what, values) }
    }

    /// `Linear` layers through `hidden` to `output` (weights, biases, batch-norm scales).
    private mutating func addMLP(input: Double, hidden: [Double], output: Double, what: String = "the hidden layers") {
        let widths = [input] + hidden + [output]
        add(what, zip(widths, widths.dropFirst()).reduce(0) { $0 + ($1.0 + 3) * $1.1 })
        if let (i, width) = widths.enumerated().max(by: { $0.element < $1.element }) {
            activation(i == 0 ? "the input" : "layer \(i) of \(what)", width)
        }
    }

    /// 5×5 (cnn) or 3×3 (resnet) convolutions with 2× downsampling per stage, then the MLP head.
    private mutating func addConvolutions(_ spec: ModelSpec) {
        let shape = (spec.imageShape ?? [1, 1, 1]).map(Double.init)
        var (c, h, w) = (shape[0], shape[1], shape[2])
        var weights = 0.0
        let blocks = spec.kind == .resnet ? Double(spec.layers ?? 1) : 0
        for (stage, out) in (spec.channels ?? []).map(Double.init).enumerated() {
            if spec.kind == .cnn {
                weights += (25 * c + 3) * out
            } else {
                if stage == 0 { weights += 9 * c * out }
                weights += (9 * c + 9 * out * (2 * blocks - 1) + c) * out
            }
            activation("the stage-\(stage + 1) feature maps", out * h * w)
            let shrinks = spec.kind == .cnn || stage > 0
            (c, h, w) = (out, shrinks ? (h / 2).rounded(.down) : h, shrinks ? (w / 2).rounded(.down) : w)
        }
        add("the convolutions", weights)
        let flat = spec.kind == .cnn ? c * Swift.max(h, 1) * Swift.max(w, 1) : c
        addMLP(input: flat, hidden: spec.hidden.map(Double.init), output: Double(spec.outputSize))
    }

    /// Token embedding, then a mean of embeddings (`bag`), a bidirectional LSTM or transformer layers.
    private mutating func addText(_ spec: ModelSpec) {
        let d = Double(spec.embeddingDim ?? 64), length = Double(spec.sequenceLength ?? 1)
        let layers = Double(spec.layers ?? 1), heads = Double(spec.heads ?? 1)
        add("the token embedding", Double(spec.vocabularySize ?? 1) * d)
        activation("the embedded tokens", length * d)
        var headInput = d
        switch spec.encoder {
        case "lstm":
            add("the LSTM layers", layers * 2 * 4 * (3 * d * d + 2 * d))
            activation("the LSTM gates", length * 8 * d)
            headInput = 2 * d
        case "transformer":
            add("the transformer layers", layers * (12 * d * d + 13 * d) + length * d)
            activation("the attention weights", heads * length * length)
            activation("the feed-forward layers", length * 4 * d)
        default: break
        }
        addMLP(input: headInput, hidden: spec.hidden.map(Double.init), output: Double(spec.outputSize))
    }
}

extension ModelSpec {
    /// The spec as far as the config alone decides it, for checks before the data is read: data-decided
    /// sizes (input width, classes, image shape, users, items) are 1, the vocabulary is the tokenizer's cap
    /// and unset widths are left out.
    init(configOnly config: RunConfig) {
        let m = config.model
        self.init(kind: m.kind, inputSize: 1, outputSize: 1, hidden: m.hidden ?? [], dropout: m.dropout,
                  activation: m.activation, batchNorm: m.batchNorm)
        channels = m.channels
        embeddingDim = m.embeddingDim
        layers = m.layers
        latentDim = m.latentDim
        architecture = m.architecture
        if m.kind == .text {
            vocabularySize = config.data.tokenizer.vocabSize
            encoder = m.encoder
            heads = m.heads
            sequenceLength = config.data.tokenizer.maxLength
        }
    }
}
