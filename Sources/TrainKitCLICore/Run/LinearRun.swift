import TrainKit

/// Training of the `linear` model kind: ``LinearFit`` on the training rows (λ by cross-validation), its
/// weights copied into the model's one `Linear` layer. No epochs run; the history holds one entry with the
/// training loss (cross-entropy, or mean squared error in the target's units).
enum LinearRun {
    static func fit(_ model: any Layer, spec: ModelSpec, data: PreparedData, seed: UInt64, io: CommandIO) throws -> History {
        guard let linear = firstLinear(model) else {
            throw TrainingError.invalidArgument("model kind 'linear': the built model has no Linear layer")
        }
        let train = data.train
        guard train.features.rank == 2 else {
            throw TrainingError.invalidArgument("model kind 'linear' needs a table of features [rows, columns], got \(train.features.shape)")
        }
        let (n, f) = (train.features.shape[0], train.features.shape[1])
        let x = train.features.toArray(as: Double.self)
        let classification = data.preprocessing.task == .classification
        let (mean, std) = (spec.targetMean ?? 0, spec.targetStd ?? 1)
        let raw = train.labels.toArray(as: Double.self)
        let y = classification ? raw : raw.map { ($0 - mean) / std }
        let fitted = LinearFit(seed: seed).fit(x: x, rows: n, features: f, y: y,
                                               classes: classification ? spec.outputSize : nil)
        let dtype = linear.weight.value.dtype
        linear.weight.value = Tensor(fitted.weight.flatMap { $0 }, shape: [spec.outputSize, f]).to(dtype)
        linear.bias?.value = Tensor(fitted.bias, shape: [spec.outputSize]).to(dtype)
        let kind = classification ? (spec.outputSize == 2 ? "logistic" : "softmax") : "ridge"
        io.progress("linear: \(kind) regression on \(n) rows, L2 λ = \(fitted.lambda) chosen by 5-fold cross-validation")
        let loss = classification ? fitted.trainLoss : fitted.trainLoss * std * std
        return History(epochs: [["loss": loss, "lambda": fitted.lambda]])
    }

    /// The first `Linear` in `model` (itself, or inside nested `Sequential`s).
    static func firstLinear(_ model: any Layer) -> Linear? {
        if let linear = model as? Linear { return linear }
        if let sequential = model as? Sequential {
            for layer in sequential.layers { if let found = firstLinear(layer) { return found } }
        }
        return nil
    }
}
