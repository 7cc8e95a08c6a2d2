import TrainKit

extension ONNXGraph {
    /// ``SequenceClassifier`` over int64 `[N, L]` token ids: the embedding, the encoder, the mean of its outputs at
    /// the non-padding positions, and the head. The LSTM encoder becomes ONNX `LSTM` nodes (bidirectional, over
    /// every position as TrainKit runs them); the transformer encoder adds the position embeddings and writes each
    /// pre-norm block with attention that skips the padding keys (except position 0, as TrainKit does).
    mutating func sequenceClassifier(_ model: SequenceClassifier, input: String, path: String) throws -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        let table = constant(model.embedding.weight.value, name: at("embedding.weight"))
        let embedded = node("Gather", [table, input], attributes: ["axis": .int(0)], name: at("embedding"))  // [N, L, D]
        let outputs: String
        if let lstm = model.lstm {
            outputs = try lstmEncoder(lstm, embedded: embedded, path: path)
        } else {
            outputs = try transformerEncoder(model, embedded: embedded, ids: input, path: path)
        }
        let padding = node("Equal", [input, constant(int64: [0], shape: [], name: at("pad_id"))], name: at("is_padding"))
        let real = node("Cast", [node("Not", [padding], name: at("is_token"))],
                        attributes: ["to": .int(Int(Onnx_TensorProto.DataType.float.rawValue))], name: at("real"))
        let weights = node("Unsqueeze", [real, constant(int64: [2], shape: [1], name: at("feature_axis"))], name: at("weights"))
        let axis = constant(int64: [1], shape: [1], name: at("length_axis"))
        let sum = node("ReduceSum", [node("Mul", [outputs, weights], name: at("masked")), axis],
                       attributes: ["keepdims": .int(0)], name: at("sum"))
        let counts = node("Max", [node("ReduceSum", [weights, axis], attributes: ["keepdims": .int(0)], name: at("counts")),
                                  scalar(1, name: at("one"))], name: at("counts_at_least_1"))  // [N, 1]
        let pooled = node("Div", [sum, counts], name: at("pooled"))
        return try apply(model.head, to: pooled, path: at("head"))
    }

    /// The bidirectional LSTM layers over `[N, L, D]` embeddings: `[N, L, directions·H]`.
    private mutating func lstmEncoder(_ lstm: LSTM, embedded: String, path: String) throws -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        var h = node("Transpose", [embedded], attributes: ["perm": .ints([1, 0, 2])], name: at("time_major"))  // [L, N, D]
        let directions = lstm.weightIH.count / max(lstm.numLayers, 1)
        let hidden = lstm.hiddenSize
        for layer in 0..<lstm.numLayers {
            let cells = (0..<directions).map { layer * directions + $0 }
            // PyTorch's gate order (input, forget, cell, output) becomes ONNX's (input, output, forget, cell).
            func reordered(_ t: Tensor) -> [Float] {
                let rows = t.toArray(as: Float.self)
                let width = rows.count / (4 * hidden)
                let block = { (g: Int) in Array(rows[(g * hidden * width)..<((g + 1) * hidden * width)]) }
                return block(0) + block(3) + block(1) + block(2)
            }
            let w = constant(cells.flatMap { reordered(lstm.weightIH[$0].value) },
                             shape: [directions, 4 * hidden, lstm.weightIH[cells[0]].value.shape[1]], name: at("lstm.W_l\(layer)"))
            let r = constant(cells.flatMap { reordered(lstm.weightHH[$0].value) },
                             shape: [directions, 4 * hidden, hidden], name: at("lstm.R_l\(layer)"))
            var inputs = [h, w, r]
            if !lstm.biasIH.isEmpty {
                let b = cells.flatMap { reordered(lstm.biasIH[$0].value) + reordered(lstm.biasHH[$0].value) }
                inputs.append(constant(b, shape: [directions, 8 * hidden], name: at("lstm.B_l\(layer)")))
            }
            let y = node("LSTM", inputs, attributes: [
                "hidden_size": .int(hidden), "direction": .string(directions == 2 ? "bidirectional" : "forward"),
            ], name: at("lstm.l\(layer)"))  // [L, directions, N, H]
            let joined = node("Transpose", [y], attributes: ["perm": .ints([0, 2, 1, 3])], name: at("lstm.l\(layer).by_batch"))
            h = node("Reshape", [joined, constant(int64: [0, 0, -1], shape: [3], name: at("lstm.l\(layer).shape"))],
                     name: at("lstm.l\(layer).out"))  // [L, N, directions·H]
        }
        return node("Transpose", [h], attributes: ["perm": .ints([1, 0, 2])], name: at("batch_major"))  // [N, L, F]
    }
}
