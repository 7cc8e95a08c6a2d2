import TrainKit

/// Builds the layers a ``ModelSpec`` describes (initial weights from the global random stream, so seed it
/// first for a reproducible start).
public enum ModelFactory {
    public static func build(_ spec: ModelSpec) -> any Layer {
        let core: any Layer
        switch spec.kind {
        case .mlp, .linear:
            core = mlp(input: spec.inputSize, spec: spec)  // images arrive flattened (ImagePreprocessing)
        case .tabular:
            core = TabularNet(cardinalities: spec.columnCardinalities ?? [], embeddingDims: spec.columnEmbeddingDims ?? [],
                              head: { mlp(input: $0, spec: spec) })
        case .cnn:
            core = convolutionalNet(spec)
        case .resnet:
            core = ResidualNet(inChannels: spec.imageShape?.first ?? 1, channels: spec.channels ?? [16, 32, 64],
                               blocksPerStage: spec.layers ?? 1, head: { mlp(input: $0, spec: spec) })
        case .text:
            if let name = spec.encoder, let encoder = SequenceClassifier.Encoder(rawValue: name) {
                core = SequenceClassifier(encoder: encoder, vocabularySize: spec.vocabularySize ?? 2,
                                          embeddingDim: spec.embeddingDim ?? 64, sequenceLength: spec.sequenceLength ?? 64,
                                          layers: spec.layers ?? 1, heads: spec.heads ?? 4, dropout: spec.dropout,
                                          head: { mlp(input: $0, spec: spec) })
            } else {
                core = TextClassifier(vocabularySize: spec.vocabularySize ?? 2, embeddingDim: spec.embeddingDim ?? 64,
                                      head: { mlp(input: $0, spec: spec) })
            }
        case .recommender:
            return recommender(spec, baseline: nil)
        case .kmeans, .pca, .gmm:
            preconditionFailure("model kind '\(spec.kind.rawValue)' is fitted by UnsupervisedRun and loaded by FittedEstimator")
        case .autoencoder:
            return Autoencoder(inputSize: spec.inputSize, hidden: spec.hidden, latent: spec.latentDim ?? 8,
                               dropout: spec.dropout, activation: { activation(spec.activation) })
        }
        let network = spec.linearStart == true ? LinearStartNet(skip: linearPart(spec), deep: core) : core
        if let mean = spec.targetMean, let std = spec.targetStd {
            return Sequential([network, TargetScale(mean: mean, std: std)])
        }
        return network
    }

    /// Matrix factorization or neural collaborative filtering; the biases start from `baseline` when given
    /// (training starts from the fitted bias baseline and learns what it misses).
    static func recommender(_ spec: ModelSpec, baseline: BiasBaseline?) -> any Layer {
        let (users, items) = (spec.userCount ?? 1, spec.itemCount ?? 1)
        let mean = baseline?.mean ?? spec.targetMean ?? 0
        let userBias = baseline?.userTable(count: users), itemBias = baseline?.itemTable(count: items)
        if spec.architecture == "ncf" {
            return NeuralCollaborativeFiltering(users: users, items: items, factors: spec.embeddingDim ?? 16,
                                                hidden: spec.hidden, dropout: spec.dropout, globalMean: mean,
                                                userBias: userBias, itemBias: itemBias)
        }
        return MatrixFactorization(users: users, items: items, factors: spec.embeddingDim ?? 16, globalMean: mean,
                                   userBias: userBias, itemBias: itemBias)
    }

    /// The linear part of a ``LinearStartNet``: one `Linear` over the `mlp` features, or for `tabular` a
    /// ``TabularNet`` with an `outputSize`-wide embedding per categorical column and a `Linear` head.
    static func linearPart(_ spec: ModelSpec) -> any Layer {
        guard spec.kind == .tabular else { return Linear(spec.inputSize, spec.outputSize) }
        let cards = spec.columnCardinalities ?? []
        return TabularNet(cardinalities: cards, embeddingDims: cards.map { $0 == 0 ? 0 : spec.outputSize },
                          head: { Sequential([Linear($0, spec.outputSize)]) })
    }

    /// `Linear → [BatchNorm] → activation → [Dropout]` per hidden width, then a linear output layer.
    static func mlp(input: Int, spec: ModelSpec) -> Sequential {
        var layers: [any Layer] = []
        var width = input
        for h in spec.hidden {
            layers.append(Linear(width, h))
            if spec.batchNorm { layers.append(BatchNorm1d(h)) }
            layers.append(activation(spec.activation))
            if spec.dropout > 0 { layers.append(Dropout(p: spec.dropout)) }
            width = h
        }
        layers.append(Linear(width, spec.outputSize))
        return Sequential(layers)
    }

    /// LeNet-style: per channel count a 5×5 convolution (same padding), [BatchNorm], activation and 2×2 max
    /// pooling; then flatten and the MLP head.
    static func convolutionalNet(_ spec: ModelSpec) -> Sequential {
        let shape = spec.imageShape ?? [1, 28, 28]
        var layers: [any Layer] = []
        var (c, h, w) = (shape[0], shape[1], shape[2])
        for out in spec.channels ?? [32, 64] {
            layers.append(Conv2d(c, out, kernelSize: 5, padding: 2))
            if spec.batchNorm { layers.append(BatchNorm2d(out)) }
            layers.append(activation(spec.activation))
            layers.append(MaxPool2d(2))
            (c, h, w) = (out, h / 2, w / 2)
        }
        layers.append(Flatten())
        layers.append(mlp(input: c * h * w, spec: spec))
        return Sequential(layers)
    }

    static func activation(_ name: String) -> any Layer {
        switch name {
        case "gelu": GELU()
        case "tanh": Tanh()
        case "silu": SiLU()
        case "leaky_relu": LeakyReLU()
        case "elu": ELU()
        default: ReLU()
        }
    }
}
