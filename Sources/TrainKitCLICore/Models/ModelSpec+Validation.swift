import TrainKit

extension ModelSpec {
    /// The largest width, table size or image side a spec may hold (2^24).
    static let maximumSize = 1 << 24
    /// The largest layer or head count a spec may hold: the config's layer limit.
    static let maximumCount = ModelSizeLimits.maxLayers

    /// Checks a spec read from `file` (a model.json) before ``ModelFactory/build(_:)`` allocates anything.
    ///
    /// The rules, each error naming the key (`…/model.json: spec.hidden[0] must be >= 1, got -16`):
    /// * every size is at least 1 (a column cardinality or embedding width at least 0) and at most 2^24; layer and
    ///   head counts at most 1024; `dropout` in `[0, 1]`; `imageShape` is `[C, H, W]`; heads divide the width;
    /// * no weight the spec implies is larger than the weights file: each product of two sizes that form one
    ///   weight matrix (adjacent MLP widths, an embedding table, adjacent convolution channels, …) is at most
    ///   `elements`, the number of values in the weights file. These are necessary conditions only; the exact
    ///   shapes are compared when the weights load into the built model.
    func validate(file: String, elements: Int) throws {
        let check = SpecCheck(file: file, elements: elements)
        try check.size("outputSize", outputSize)
        for (i, h) in hidden.enumerated() { try check.size("hidden[\(i)]", h) }
        guard dropout.isFinite, dropout >= 0, dropout <= 1 else { throw check.fail("dropout must be in [0, 1], got \(dropout)") }
        let named = hidden.enumerated().map { ("hidden[\($0)]", $1) }
        let widths: [(String, Int)]  // the widths of one chain of Linear layers
        switch kind {
        case .mlp, .linear:
            try check.size("inputSize", inputSize)
            widths = [("inputSize", inputSize)] + named + [("outputSize", outputSize)]
        case .autoencoder:
            try check.size("inputSize", inputSize)
            try check.size("latentDim", latentDim ?? 8)
            widths = [("inputSize", inputSize)] + named + [("latentDim", latentDim ?? 8)]
        default:
            widths = named + [("outputSize", outputSize)]
        }
        for (a, b) in zip(widths, widths.dropFirst()) { try check.product(a, b) }
        switch kind {
        case .mlp, .autoencoder, .linear, .kmeans, .pca, .gmm:
            break
        case .tabular:
            let cards = columnCardinalities ?? [], dims = columnEmbeddingDims ?? []
            guard cards.count == dims.count else {
                throw check.fail("columnCardinalities has \(cards.count) entries, columnEmbeddingDims \(dims.count)")
            }
            for (i, (k, d)) in zip(cards, dims).enumerated() {
                try check.size("columnCardinalities[\(i)]", k, minimum: 0)
                try check.size("columnEmbeddingDims[\(i)]", d, minimum: 0)
                try check.product(("columnCardinalities[\(i)]", k), ("columnEmbeddingDims[\(i)]", d))
            }
        case .cnn, .resnet:
            guard let shape = imageShape, shape.count == 3 else {
                throw check.fail("imageShape must be [C, H, W], got \(imageShape.map { "\($0)" } ?? "nothing")")
            }
            for (i, s) in shape.enumerated() { try check.size("imageShape[\(i)]", s) }
            let channels = self.channels ?? []
            guard !channels.isEmpty else { throw check.fail("channels must not be empty") }
            let stages = [("imageShape[0]", shape[0])] + channels.enumerated().map { ("channels[\($0)]", $1) }
            for (name, c) in stages.dropFirst() { try check.size(name, c) }
            for (a, b) in zip(stages, stages.dropFirst()) { try check.product(a, b) }
            if kind == .cnn {  // 2×2 pooling per channel entry, then the flattened map feeds the MLP head
                let side = { (s: Int) in channels.count < Int.bitWidth ? s >> channels.count : 0 }
                guard let flat = CheckedSize.bytes(shape: [channels.last!, side(shape[1]), side(shape[2])]) else {
                    throw check.fail("imageShape \(shape) with channels \(channels) overflows")
                }
                try check.product(("the flattened feature map", flat), widths[0])
            }
            if kind == .resnet {
                try check.size("layers", layers ?? 1, maximum: Self.maximumCount)
                try check.product(("layers", layers ?? 1), stages[1])
            }
        case .text:
            try check.size("vocabularySize", vocabularySize ?? 2)
            try check.size("embeddingDim", embeddingDim ?? 64)
            try check.product(("vocabularySize", vocabularySize ?? 2), ("embeddingDim", embeddingDim ?? 64))
            if let encoder, encoder != "bag" {
                try check.size("layers", layers ?? 1, maximum: Self.maximumCount)
                try check.size("sequenceLength", sequenceLength ?? 64)
                try check.product(("layers", layers ?? 1), ("embeddingDim", embeddingDim ?? 64))
                try check.product(("sequenceLength", sequenceLength ?? 64), ("embeddingDim", embeddingDim ?? 64))
                if encoder == "transformer" {
                    let (h, d) = (heads ?? 4, embeddingDim ?? 64)
                    try check.size("heads", h, maximum: Self.maximumCount)
                    guard d % h == 0 else { throw check.fail("heads (\(h)) must divide embeddingDim (\(d))") }
                }
            }
        case .recommender:
            let factors = ("embeddingDim", embeddingDim ?? 16)
            try check.size(factors.0, factors.1)
            try check.size("userCount", userCount ?? 1)
            try check.size("itemCount", itemCount ?? 1)
            try check.product(("userCount", userCount ?? 1), factors)
            try check.product(("itemCount", itemCount ?? 1), factors)
        }
    }
}

/// The checks of ``ModelSpec/validate(file:elements:)``, each failure a ``DataError`` naming the file and key.
private struct SpecCheck {
    let file: String
    let elements: Int

    func fail(_ reason: String) -> DataError { .invalidFormat(file: file, reason: "spec.\(reason)") }

    func size(_ key: String, _ value: Int, minimum: Int = 1, maximum: Int = ModelSpec.maximumSize) throws {
        guard value >= minimum else { throw fail("\(key) must be >= \(minimum), got \(value)") }
        guard value <= maximum else { throw fail("\(key) must be <= \(maximum), got \(value)") }
    }

    /// `a · b` is the size of one weight the spec implies, so it cannot exceed the values in the weights file.
    func product(_ a: (String, Int), _ b: (String, Int)) throws {
        let (value, overflow) = a.1.multipliedReportingOverflow(by: b.1)
        guard overflow || value > elements else { return }
        throw fail("\(a.0) × \(b.0) (\(a.1) × \(b.1)) is larger than the \(elements) values in the weights file")
    }
}
