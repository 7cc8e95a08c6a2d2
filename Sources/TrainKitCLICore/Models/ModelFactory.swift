import TrainKit

/// Builds the layers a ``ModelSpec`` describes (initial weights from the global random stream, so seed it
/// first for a reproducible start).
public enum ModelFactory {
    public static func build(_ spec: ModelSpec) -> any Layer {
        let core: any Layer
        switch spec.kind {
        case .mlp:
            core = mlp(input: spec.inputSize, spec: spec)  // images arrive flattened (ImagePreprocessing)
        case .tabular:
            core = TabularNet(cardinalities: spec.columnCardinalities ?? [], embeddingDims: spec.columnEmbeddingDims ?? [],
                              head: { mlp(input: $0, spec: spec) })
        case .cnn:
            core = convolutionalNet(spec)
        case .text:
            core = TextClassifier(vocabularySize: spec.vocabularySize ?? 2, embeddingDim: spec.embeddingDim ?? 64,
                                  head: { mlp(input: $0, spec: spec) })
        case .recommender:
            return MatrixFactorization(users: spec.userCount ?? 1, items: spec.itemCount ?? 1,
                                       factors: spec.embeddingDim ?? 16, globalMean: spec.targetMean ?? 0)
        }
        if let mean = spec.targetMean, let std = spec.targetStd {
            return Sequential([core, TargetScale(mean: mean, std: std)])
        }
        return core
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
