import TrainKit

/// A layer that writes its own ONNX nodes (layers defined outside TrainKit's NN and model targets conform to
/// this to be exportable).
public protocol ONNXExportable {
    /// Adds the layer's nodes applied to `input` and returns the output value's name. `path` is the layer's
    /// state-dict path (`""` for the root); weights are best named `path.weight` and so on.
    func exportONNX(into graph: inout ONNXGraph, input: String, path: String) throws -> String
}

extension ONNXGraph {
    /// Adds the inference-mode computation of `layer` applied to `input` and returns the output value's name.
    ///
    /// Covered: `Sequential`, `Linear`, `Conv2d` (any stride, padding, dilation, groups), `MaxPool2d`, `Flatten`
    /// (from dimension 1), `BatchNorm1d`/`BatchNorm2d` (running statistics), `Dropout` and `Identity` (no-ops at
    /// inference), `AdaptiveAvgPool2d` to 1×1, the activations `ReLU`, `LeakyReLU`, `ELU`, `GELU` (exact or
    /// tanh), `Sigmoid`, `Tanh`, `SiLU`; `EmbeddingBag` (mean over the non-padding ids); the models
    /// `TabularNet`, `TextClassifier`, `SequenceClassifier` (LSTM encoder), `ResidualNet`, `Autoencoder`, `MatrixFactorization`,
    /// `NeuralCollaborativeFiltering` (over int64 `[N, 2]` user and item rows); and any
    /// ``ONNXExportable`` layer. Weights become initializers named by their state-dict paths.
    /// - Throws: ``ONNXExportError/unsupportedLayer(path:layer:)`` naming the first layer without an ONNX form.
    public mutating func apply(_ layer: any Layer, to input: String, path: String = "") throws -> String {
        if let custom = layer as? any ONNXExportable {
            return try custom.exportONNX(into: &self, input: input, path: path)
        }
        let hint = path.isEmpty ? "model" : path
        switch layer {
        case let sequential as Sequential:
            var x = input
            for (i, child) in sequential.layers.enumerated() { x = try apply(child, to: x, path: Self.join(path, "\(i)")) }
            return x
        case let linear as Linear:
            let w = constant(linear.weight.value, name: Self.join(path, "weight"))
            var inputs = [input, w]
            if let b = linear.bias { inputs.append(constant(b.value, name: Self.join(path, "bias"))) }
            return node("Gemm", inputs, attributes: ["transB": .int(1)], name: hint + ".gemm")
        case is Dropout, is Identity:
            return input
        case is ReLU:
            return node("Relu", [input], name: hint + ".relu")
        case let l as LeakyReLU:
            return node("LeakyRelu", [input], attributes: ["alpha": .float(Float(l.negativeSlope))], name: hint + ".leaky_relu")
        case let l as ELU:
            return node("Elu", [input], attributes: ["alpha": .float(Float(l.alpha))], name: hint + ".elu")
        case is Sigmoid:
            return node("Sigmoid", [input], name: hint + ".sigmoid")
        case is Tanh:
            return node("Tanh", [input], name: hint + ".tanh")
        case is SiLU:
            let s = node("Sigmoid", [input], name: hint + ".sigmoid")
            return node("Mul", [input, s], name: hint + ".silu")
        case let l as GELU:
            return gelu(input, approximate: l.approximate, hint: hint)
        case let bn as BatchNorm1d:
            return try batchNorm(input, weight: bn.weight, bias: bn.bias, mean: bn.runningMean, variance: bn.runningVar,
                                 eps: bn.eps, path: path, layer: "BatchNorm1d")
        case let bn as BatchNorm2d:
            return try batchNorm(input, weight: bn.weight, bias: bn.bias, mean: bn.runningMean, variance: bn.runningVar,
                                 eps: bn.eps, path: path, layer: "BatchNorm2d")
        case let conv as Conv2d:
            return convolution(conv, input: input, path: path)
        case let pool as MaxPool2d:
            return node("MaxPool", [input], attributes: [
                "kernel_shape": .ints([pool.kernelSize.height, pool.kernelSize.width]),
                "strides": .ints([pool.stride.height, pool.stride.width]),
                "pads": .ints([pool.padding.height, pool.padding.width, pool.padding.height, pool.padding.width]),
                "dilations": .ints([pool.dilation.height, pool.dilation.width]),
            ], name: hint + ".max_pool")
        case let pool as AdaptiveAvgPool2d:
            guard pool.outputSize == Size2d(1, 1) else {
                throw ONNXExportError.unsupportedConfiguration(
                    path: Self.display(path), layer: "AdaptiveAvgPool2d",
                    reason: "only a 1×1 output (GlobalAveragePool) is exported, this one is \(pool.outputSize)")
            }
            return node("GlobalAveragePool", [input], name: hint + ".avg_pool")
        case let flatten as Flatten:
            guard flatten.startDim == 1, flatten.endDim == -1 else {
                throw ONNXExportError.unsupportedConfiguration(
                    path: Self.display(path), layer: "Flatten",
                    reason: "only Flatten(startDim: 1, endDim: -1) is exported, this one is (\(flatten.startDim), \(flatten.endDim))")
            }
            return node("Flatten", [input], attributes: ["axis": .int(1)], name: hint + ".flatten")
        case let embedding as Embedding:
            let table = constant(embedding.weight.value, name: Self.join(path, "weight"))
            return node("Gather", [table, input], attributes: ["axis": .int(0)], name: hint + ".embedding")
        case let bag as EmbeddingBag:
            return embeddingBag(bag, input: input, path: path)
        case let text as TextClassifier:
            let pooled = embeddingBag(text.embedding, input: input, path: Self.join(path, "embedding"))
            return try apply(text.head, to: pooled, path: Self.join(path, "head"))
        case let sequence as SequenceClassifier:
            return try sequenceClassifier(sequence, input: input, path: path)
        case let tabular as TabularNet:
            return try self.tabular(tabular, input: input, path: path)
        case let residual as ResidualNet:
            var x = try apply(residual.stem, to: input, path: Self.join(path, "stem"))
            for (i, block) in residual.stages.enumerated() {
                x = try self.residualBlock(block, input: x, path: Self.join(path, "stages.\(i)"))
            }
            x = node("ReduceMean", [x], attributes: ["axes": .ints([2, 3]), "keepdims": .int(0)], name: hint + ".mean")
            return try apply(residual.head, to: x, path: Self.join(path, "head"))
        case let mf as MatrixFactorization:
            return matrixFactorization(mf, input: input, path: path)
        case let ncf as NeuralCollaborativeFiltering:
            return try neuralCollaborativeFiltering(ncf, input: input, path: path)
        case let autoencoder as Autoencoder:
            let code = try apply(autoencoder.encoder, to: input, path: Self.join(path, "encoder"))
            return try apply(autoencoder.decoder, to: code, path: Self.join(path, "decoder"))
        default:
            throw ONNXExportError.unsupportedLayer(path: Self.display(path), layer: String(describing: type(of: layer)))
        }
    }

    /// `a.b` from a path and a child name (`b` at the root).
    public static func join(_ path: String, _ child: String) -> String { path.isEmpty ? child : "\(path).\(child)" }

    /// A layer path for messages: `(model)` for the root.
    static func display(_ path: String) -> String { path.isEmpty ? "(model)" : path }

    /// A float scalar initializer.
    mutating func scalar(_ value: Float, name: String) -> String { constant([value], shape: [], name: name) }

    private mutating func gelu(_ x: String, approximate: Bool, hint: String) -> String {
        let half = scalar(0.5, name: hint + ".half"), one = scalar(1, name: hint + ".one")
        let inner: String
        if approximate {  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
            let cube = node("Mul", [x, node("Mul", [x, x], name: hint + ".x2")], name: hint + ".x3")
            let scaled = node("Mul", [cube, scalar(0.044715, name: hint + ".cubic")], name: hint + ".cubic_term")
            let sum = node("Add", [x, scaled], name: hint + ".sum")
            let arg = node("Mul", [sum, scalar(Float((2 / Double.pi).squareRoot()), name: hint + ".sqrt_2_over_pi")], name: hint + ".arg")
            inner = node("Tanh", [arg], name: hint + ".tanh")
        } else {  // 0.5·x·(1 + erf(x/√2))
            let arg = node("Div", [x, scalar(Float(2.0.squareRoot()), name: hint + ".sqrt2")], name: hint + ".arg")
            inner = node("Erf", [arg], name: hint + ".erf")
        }
        let gate = node("Mul", [half, node("Add", [one, inner], name: hint + ".one_plus")], name: hint + ".gate")
        return node("Mul", [x, gate], name: hint + ".gelu")
    }

    private mutating func batchNorm(_ x: String, weight: Parameter?, bias: Parameter?, mean: Buffer?, variance: Buffer?,
                                    eps: Double, path: String, layer: String) throws -> String {
        guard let mean, let variance else {
            throw ONNXExportError.unsupportedConfiguration(
                path: Self.display(path), layer: layer,
                reason: "it keeps no running statistics (it normalizes with each batch's own), which ONNX inference cannot do")
        }
        let c = mean.value.count
        let scale = weight.map { constant($0.value, name: Self.join(path, "weight")) }
            ?? constant([Float](repeating: 1, count: c), shape: [c], name: Self.join(path, "weight"))
        let shift = bias.map { constant($0.value, name: Self.join(path, "bias")) }
            ?? constant([Float](repeating: 0, count: c), shape: [c], name: Self.join(path, "bias"))
        let m = constant(mean.value, name: Self.join(path, "running_mean"))
        let v = constant(variance.value, name: Self.join(path, "running_var"))
        return node("BatchNormalization", [x, scale, shift, m, v], attributes: ["epsilon": .float(Float(eps))],
                    name: (path.isEmpty ? "model" : path) + ".batch_norm")
    }

    private mutating func convolution(_ conv: Conv2d, input: String, path: String) -> String {
        let w = conv.weight.value
        var inputs = [input, constant(w, name: Self.join(path, "weight"))]
        if let b = conv.bias { inputs.append(constant(b.value, name: Self.join(path, "bias"))) }
        return node("Conv", inputs, attributes: [
            "kernel_shape": .ints([w.shape[2], w.shape[3]]),
            "strides": .ints([conv.stride.height, conv.stride.width]),
            "pads": .ints([conv.padding.height, conv.padding.width, conv.padding.height, conv.padding.width]),
            "dilations": .ints([conv.dilation.height, conv.dilation.width]),
            "group": .int(conv.groups),
        ], name: (path.isEmpty ? "model" : path) + ".conv")
    }

    private mutating func residualBlock(_ block: ResidualBlock, input: String, path: String) throws -> String {
        var y = try apply(block.conv1, to: input, path: Self.join(path, "conv1"))
        y = try apply(block.bn1, to: y, path: Self.join(path, "bn1"))
        y = node("Relu", [y], name: path + ".relu1")
        y = try apply(block.conv2, to: y, path: Self.join(path, "conv2"))
        y = try apply(block.bn2, to: y, path: Self.join(path, "bn2"))
        let skip = try block.shortcut.map { try apply($0, to: input, path: Self.join(path, "shortcut")) } ?? input
        return node("Relu", [node("Add", [y, skip], name: path + ".add")], name: path + ".relu2")
    }

    /// The mean of the embedding rows of the ids that are not padding (id 0) per row of int64 `[N, L]` ids;
    /// a row of padding only gives zeros. `[N, D]`.
    private mutating func embeddingBag(_ bag: EmbeddingBag, input: String, path: String) -> String {
        let hint = path.isEmpty ? "model" : path
        let rows = node("Gather", [constant(bag.weight.value, name: Self.join(path, "weight")), input],
                        attributes: ["axis": .int(0)], name: hint + ".rows")  // [N, L, D]
        let padding = node("Equal", [input, constant(int64: [0], shape: [], name: hint + ".pad_id")], name: hint + ".is_padding")
        let present = node("Cast", [node("Not", [padding], name: hint + ".is_token")],
                           attributes: ["to": .int(Int(Onnx_TensorProto.DataType.float.rawValue))], name: hint + ".present")
        let counts = node("ReduceSum", [present, constant(int64: [1], shape: [1], name: hint + ".length_axis")],
                          attributes: ["keepdims": .int(1)], name: hint + ".counts")  // [N, 1]
        let clamped = node("Max", [counts, scalar(1, name: hint + ".one")], name: hint + ".counts_at_least_1")
        let weights = node("Unsqueeze", [node("Div", [present, clamped], name: hint + ".weights"),
                                         constant(int64: [2], shape: [1], name: hint + ".feature_axis")],
                           name: hint + ".weights_3d")  // [N, L, 1]
        return node("ReduceSum", [node("Mul", [rows, weights], name: hint + ".weighted"),
                                  constant(int64: [1], shape: [1], name: hint + ".sum_axis")],
                    attributes: ["keepdims": .int(0)], name: hint + ".mean")
    }

    /// ``TabularNet``: numeric columns pass; each categorical column's code (a float, -1 for unseen) goes through
    /// `code + 1`, clamped to the embedding's rows, into its embedding; the parts are concatenated into the head.
    private mutating func tabular(_ net: TabularNet, input: String, path: String) throws -> String {
        let hint = path.isEmpty ? "model" : path
        var parts: [String] = []
        let numeric = net.numericColumnIndices
        if !numeric.isEmpty {
            let idx = constant(int64: numeric, shape: [numeric.count], name: hint + ".numeric_columns")
            parts.append(node("Gather", [input, idx], attributes: ["axis": .int(1)], name: hint + ".numeric"))
        }
        for (e, (embedding, column)) in zip(net.embeddings, net.categoricalColumnIndices).enumerated() {
            let at = Self.join(path, "embeddings.\(e)")
            let j = constant(int64: [column], shape: [], name: at + ".column")
            let code = node("Gather", [input, j], attributes: ["axis": .int(1)], name: at + ".code")
            let shifted = node("Add", [code, scalar(1, name: at + ".one")], name: at + ".shifted")
            let rows = Float(embedding.weight.value.shape[0] - 1)
            let clamped = node("Clip", [shifted, scalar(0, name: at + ".min"), scalar(rows, name: at + ".max")], name: at + ".clamped")
            let index = node("Cast", [clamped], attributes: ["to": .int(Int(Onnx_TensorProto.DataType.int64.rawValue))], name: at + ".index")
            parts.append(try apply(embedding, to: index, path: at))
        }
        let joined = parts.count == 1 ? parts[0] : node("Concat", parts, attributes: ["axis": .int(1)], name: hint + ".concat")
        return try apply(net.head, to: joined, path: Self.join(path, "head"))
    }
}
