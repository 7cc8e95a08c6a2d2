import TrainKit

extension ModelArtifact {
    /// Checks a model.json read from `file` before its model is built: the spec
    /// (``ModelSpec/validate(file:elements:)``, with `elements` the number of values in the weights file) and the
    /// preprocessing against the spec, so `evaluate`, `predict` and `info` stop with a data error naming the key
    /// instead of trapping later.
    ///
    /// Preprocessing rules: the part for the data format is present; a table column's scaler has one value per
    /// statistic (one feature per column), categories and class names are unique, and the encoded feature count
    /// is the spec's `inputSize` (`mlp`, `autoencoder`) or its `columnCardinalities` (`tabular`); image
    /// normalization has one positive, finite std per channel and the image shape is the spec's; a text vocabulary
    /// and the rating id maps have the sizes of the spec's tables; a classifier has one class name per output.
    func validate(file: String, elements: Int) throws {
        try spec.validate(file: file, elements: elements)
        func fail(_ reason: String) -> DataError { .invalidFormat(file: file, reason: reason) }
        let pre = preprocessing
        if pre.task == .classification {
            let classes = pre.classes ?? []
            guard classes.count == spec.outputSize else {
                throw fail("preprocessing.classes has \(classes.count) names for spec.outputSize \(spec.outputSize)")
            }
            guard Set(classes).count == classes.count else { throw fail("preprocessing.classes repeats a name") }
        }
        switch pre.format {
        case .csv:
            guard let table = pre.table else { throw fail("preprocessing.table is missing for csv data") }
            try validate(table, file: file)
        case .idx:
            guard let images = pre.images else { throw fail("preprocessing.images is missing for idx data") }
            try validate(images, file: file)
        case .text:
            guard let text = pre.text else { throw fail("preprocessing.text is missing for text data") }
            if spec.kind == .text, text.vocabularySize != spec.vocabularySize ?? 2 {
                throw fail("preprocessing.text has \(text.vocabularySize) tokens, spec.vocabularySize is \(spec.vocabularySize ?? 2)")
            }
        case .ratings:
            guard let ratings = pre.ratings else { throw fail("preprocessing.ratings is missing for ratings data") }
            if spec.kind == .recommender {
                guard ratings.users.count + 1 == spec.userCount ?? 1, ratings.items.count + 1 == spec.itemCount ?? 1 else {
                    throw fail("preprocessing.ratings has \(ratings.users.count) users and \(ratings.items.count) items, "
                        + "spec.userCount and spec.itemCount (one more each) are \(spec.userCount ?? 1) and \(spec.itemCount ?? 1)")
                }
            }
        }
    }

    private func validate(_ table: TablePreprocessing, file: String) throws {
        func fail(_ reason: String) -> DataError { .invalidFormat(file: file, reason: "preprocessing.table.encoder.\(reason)") }
        for (i, step) in table.encoder.steps.enumerated() {
            let at = "steps[\(i)]"
            if let s = step.standardScaler, s.mean.count != 1 || s.std.count != 1 {
                throw fail("\(at).standard_scaler has \(s.mean.count) means and \(s.std.count) stds for 1 feature")
            }
            if let s = step.minMaxScaler, s.minimum.count != 1 || s.maximum.count != 1 {
                throw fail("\(at).minMaxScaler has \(s.minimum.count) minimums and \(s.maximum.count) maximums for 1 feature")
            }
            for categories in [step.oneHot?.categories, step.ordinal?.categories].compactMap({ $0 }) {
                guard Set(categories).count == categories.count else { throw fail("\(at) repeats a category") }
            }
        }
        let features = table.encoder.outputNames.count
        switch spec.kind {
        case .mlp, .autoencoder, .linear:
            guard features == spec.inputSize else {
                throw fail("steps encode \(features) features, spec.inputSize is \(spec.inputSize)")
            }
        case .tabular:
            guard table.columnCardinalities == spec.columnCardinalities ?? [] else {
                throw fail("steps do not match spec.columnCardinalities")
            }
        default:
            break
        }
    }

    private func validate(_ images: ImagePreprocessing, file: String) throws {
        func fail(_ reason: String) -> DataError { .invalidFormat(file: file, reason: "preprocessing.images.\(reason)") }
        let shape = images.imageShape
        guard shape.count == 3, shape.allSatisfy({ $0 >= 1 }) else { throw fail("imageShape must be [C, H, W], got \(shape)") }
        if let n = images.normalization {
            guard n.mean.count == shape[0], n.std.count == shape[0] else {
                throw fail("normalization has \(n.mean.count) means and \(n.std.count) stds for \(shape[0]) channels")
            }
            guard n.std.allSatisfy({ $0 > 0 && $0.isFinite }), n.mean.allSatisfy(\.isFinite) else {
                throw fail("normalization needs finite means and positive finite stds")
            }
        }
        switch spec.kind {
        case .cnn, .resnet:
            guard shape == spec.imageShape ?? [] else {
                throw fail("imageShape \(shape) is not spec.imageShape \(spec.imageShape ?? [])")
            }
        case .mlp, .autoencoder:
            guard CheckedSize.bytes(shape: shape) == spec.inputSize else {
                throw fail("imageShape \(shape) does not hold spec.inputSize \(spec.inputSize) values")
            }
        default:
            break
        }
    }
}
