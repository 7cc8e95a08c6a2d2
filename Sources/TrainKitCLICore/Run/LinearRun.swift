import TrainKit

/// Training of the `linear` model kind, and the start of a ``LinearStartNet``: ``LinearFit`` on the training
/// rows (λ by cross-validation), its weights copied into the model's linear layer(s).
enum LinearRun {
    /// The `linear` kind: no epochs run; the history holds one entry with the training loss (cross-entropy, or
    /// mean squared error in the target's units) and the chosen λ.
    static func fit(_ model: any Layer, spec: ModelSpec, data: PreparedData, seed: UInt64, io: CommandIO) throws -> History {
        guard let linear = firstLinear(model) else {
            throw TrainingError.invalidArgument("model kind 'linear': the built model has no Linear layer")
        }
        let train = data.train
        guard train.features.rank == 2 else {
            throw TrainingError.invalidArgument("model kind 'linear' needs a table of features [rows, columns], got \(train.features.shape)")
        }
        let (n, f) = (train.features.shape[0], train.features.shape[1])
        let fitted = solve(x: train.features.toArray(as: Double.self), rows: n, features: f, spec: spec, data: data, seed: seed)
        set(linear, weight: fitted.weight, bias: fitted.bias)
        io.progress("linear: \(name(spec, data)) on \(n) rows, L2 λ = \(fitted.lambda) chosen by 3-fold cross-validation")
        let std = spec.targetStd ?? 1
        let loss = data.preprocessing.task == .classification ? fitted.trainLoss : fitted.trainLoss * std * std
        return History(epochs: [["loss": loss, "lambda": fitted.lambda]])
    }

    /// Sets the linear part of a ``LinearStartNet`` to the `linear` kind's fit. For `tabular`, the codes are
    /// expanded to one-hot columns for the fit, and the fitted weights of category `c` of a column become row
    /// `c + 1` of its `outputs`-wide embedding (row 0, an unseen category, stays 0), joined by an identity
    /// block in the head.
    static func initialize(_ net: LinearStartNet, spec: ModelSpec, data: PreparedData, seed: UInt64, io: CommandIO) {
        let train = data.train
        let (n, f) = (train.features.shape[0], train.features.shape[1])
        let codes = train.features.toArray(as: Double.self)
        let cards = spec.kind == .tabular ? spec.columnCardinalities ?? [] : [Int](repeating: 0, count: f)
        let width = SmallTableDefaults.oneHotWidth(cards)
        var offsets: [Int] = [], offset = 0
        for k in cards { offsets.append(offset); offset += Swift.max(k, 1) }
        var x = [Double](repeating: 0, count: n * width)
        for r in 0..<n {
            for (j, k) in cards.enumerated() {
                let v = codes[r * f + j]
                if k == 0 { x[r * width + offsets[j]] = v } else if v >= 0 && Int(v) < k { x[r * width + offsets[j] + Int(v)] = 1 }
            }
        }
        let fitted = solve(x: x, rows: n, features: width, spec: spec, data: data, seed: seed)
        io.progress("start: the linear fit (\(name(spec, data)), L2 λ = \(fitted.lambda) by 3-fold cross-validation) plus the network from zero")
        let outputs = spec.outputSize
        if let linear = net.skip as? Linear {
            set(linear, weight: fitted.weight, bias: fitted.bias)
            return
        }
        guard let tabular = net.skip as? TabularNet, let head = firstLinear(tabular.head) else { return }
        let numeric = cards.enumerated().filter { $0.element == 0 }.map(\.offset)
        let categorical = cards.enumerated().filter { $0.element > 0 }.map(\.offset)
        let headWidth = numeric.count + categorical.count * outputs
        var headWeight = [[Double]](repeating: [Double](repeating: 0, count: headWidth), count: outputs)
        for c in 0..<outputs {
            for (t, j) in numeric.enumerated() { headWeight[c][t] = fitted.weight[c][offsets[j]] }
            for (t, _) in categorical.enumerated() { headWeight[c][numeric.count + t * outputs + c] = 1 }
        }
        set(head, weight: headWeight, bias: fitted.bias)
        for (embedding, j) in zip(tabular.embeddings, categorical) {
            var table = [Double](repeating: 0, count: (cards[j] + 1) * outputs)
            for category in 0..<cards[j] {
                for c in 0..<outputs { table[(category + 1) * outputs + c] = fitted.weight[c][offsets[j] + category] }
            }
            let dtype = embedding.weight.value.dtype
            embedding.weight.value = Tensor(table, shape: [cards[j] + 1, outputs]).to(dtype)
        }
    }

    /// ``LinearFit`` on `x`, with the targets on the model's scale (standardized regression targets).
    private static func solve(x: [Double], rows n: Int, features f: Int, spec: ModelSpec, data: PreparedData,
                              seed: UInt64) -> LinearFit.Fitted {
        let classification = data.preprocessing.task == .classification
        let (mean, std) = (spec.targetMean ?? 0, spec.targetStd ?? 1)
        let raw = data.train.labels.toArray(as: Double.self)
        let y = classification ? raw : raw.map { ($0 - mean) / std }
        return LinearFitCache.shared.fit(LinearFit(seed: seed), x: x, rows: n, features: f, y: y,
                                         classes: classification ? spec.outputSize : nil)
    }

    private static func name(_ spec: ModelSpec, _ data: PreparedData) -> String {
        data.preprocessing.task == .classification ? (spec.outputSize == 2 ? "logistic regression" : "softmax regression")
            : "ridge regression"
    }

    private static func set(_ linear: Linear, weight: [[Double]], bias: [Double]) {
        let dtype = linear.weight.value.dtype
        linear.weight.value = Tensor(weight.flatMap { $0 }, shape: [weight.count, weight.first?.count ?? 0]).to(dtype)
        linear.bias?.value = Tensor(bias, shape: [bias.count]).to(dtype)
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
