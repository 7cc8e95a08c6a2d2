import TrainKit

extension ONNXGraph {
    /// The transformer encoder of a ``SequenceClassifier`` over `[N, L, D]` embeddings of the int64 `[N, L]` ids:
    /// position embeddings, the pre-norm blocks, the final layer norm. `[N, L, D]`.
    mutating func transformerEncoder(_ model: SequenceClassifier, embedded: String, ids: String, path: String) throws -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        guard let positions = model.positions, let finalNorm = model.finalNorm else {
            throw ONNXExportError.unsupportedLayer(path: ONNXGraph.display(path), layer: "SequenceClassifier")
        }
        // The ids input has a fixed length L (the tokenizer's max_length), so the positions are a constant.
        guard let length = declaredShape(of: ids)?.last.flatMap({ $0 }), length <= positions.weight.value.shape[0] else {
            throw ONNXExportError.unsupportedConfiguration(
                path: at("positions"), layer: "Embedding", reason: "the token ids need a fixed length within the position table")
        }
        let d = positions.weight.value.shape[1]
        let rows = positions.weight.value.toArray(as: Float.self).prefix(length * d)
        var h = node("Add", [embedded, constant(Array(rows), shape: [1, length, d], name: at("positions.weight"))], name: at("positioned"))
        // Keys at padding positions get -1e30 before the softmax (their weight underflows to 0, as with -inf);
        // position 0 always stays, so a row of padding only is finite.
        let padding = node("Cast", [node("Equal", [ids, constant(int64: [0], shape: [], name: at("attention.pad_id"))],
                                         name: at("attention.is_padding"))],
                           attributes: ["to": .int(Int(Onnx_TensorProto.DataType.float.rawValue))], name: at("attention.padding"))
        let keep0 = constant([0] + [Float](repeating: 1, count: max(length - 1, 0)), shape: [length], name: at("attention.first_kept"))
        let blocked = node("Mul", [padding, keep0], name: at("attention.blocked"))
        let additive = node("Reshape", [node("Mul", [blocked, scalar(-1e30, name: at("attention.minus_big"))], name: at("attention.bias")),
                                        constant(int64: [0, 1, 1, length], shape: [4], name: at("attention.mask_shape"))],
                            name: at("attention.mask"))  // [N, 1, 1, L]
        for (i, block) in model.blocks.enumerated() {
            h = try transformerBlock(block, input: h, mask: additive, length: length, path: at("blocks.\(i)"))
        }
        return layerNorm(finalNorm, input: h, path: at("final_norm"))
    }

    private mutating func layerNorm(_ norm: LayerNorm, input: String, path: String) -> String {
        let d = norm.normalizedShape.reduce(1, *)
        let scale = norm.weight.map { constant($0.value, name: ONNXGraph.join(path, "weight")) }
            ?? constant([Float](repeating: 1, count: d), shape: [d], name: ONNXGraph.join(path, "weight"))
        let bias = norm.bias.map { constant($0.value, name: ONNXGraph.join(path, "bias")) }
            ?? constant([Float](repeating: 0, count: d), shape: [d], name: ONNXGraph.join(path, "bias"))
        return node("LayerNormalization", [input, scale, bias],
                    attributes: ["axis": .int(-norm.normalizedShape.count), "epsilon": .float(Float(norm.eps))], name: path + ".layer_norm")
    }

    /// One encoder block (`x + attn(norm1(x))`, then `+ ff(norm2(·))` when pre-norm; `norm1(x + attn(x))`,
    /// `norm2(· + ff(·))` otherwise) over batch-first `[N, L, D]`.
    private mutating func transformerBlock(_ block: TransformerEncoderLayer, input: String, mask: String, length: Int,
                                           path: String) throws -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        guard block.selfAttention.batchFirst else {
            throw ONNXExportError.unsupportedConfiguration(path: path, layer: "TransformerEncoderLayer", reason: "only batch-first blocks are exported")
        }
        func attend(_ x: String) throws -> String { try attention(block.selfAttention, input: x, mask: mask, path: at("self_attn")) }
        func feedForward(_ x: String) throws -> String {
            let hidden = linear3d(block.linear1, input: x, path: at("linear1"))
            let act = block.activation == .relu ? node("Relu", [hidden], name: at("relu")) : try apply(GELU(), to: hidden, path: at("gelu"))
            return linear3d(block.linear2, input: act, path: at("linear2"))
        }
        if block.normFirst {
            let y = node("Add", [input, try attend(layerNorm(block.norm1, input: input, path: at("norm1")))], name: at("residual1"))
            return node("Add", [y, try feedForward(layerNorm(block.norm2, input: y, path: at("norm2")))], name: at("residual2"))
        }
        let y = layerNorm(block.norm1, input: node("Add", [input, try attend(input)], name: at("residual1")), path: at("norm1"))
        return layerNorm(block.norm2, input: node("Add", [y, try feedForward(y)], name: at("residual2")), path: at("norm2"))
    }

    /// Multi-head self-attention over `[N, L, E]` with an additive `[N, 1, 1, L]` key mask: `[N, L, E]`.
    private mutating func attention(_ mha: MultiheadAttention, input: String, mask: String, path: String) throws -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        let (e, h) = (mha.embedDim, mha.numHeads)
        let d = e / h
        let w = mha.inProjWeight.value.toArray(as: Float.self)
        let b = mha.inProjBias?.value.toArray(as: Float.self)
        func project(_ part: Int, _ name: String) -> String {
            let linear = Linear(weight: Tensor(Array(w[(part * e * e)..<((part + 1) * e * e)]), shape: [e, e]),
                                bias: b.map { Tensor(Array($0[(part * e)..<((part + 1) * e)]), shape: [e]) })
            let y = node("MatMul", [input, constant(linear.weight.value.T.contiguous(), name: at("\(name)_weight_t"))], name: at(name))
            let biased = linear.bias.map { node("Add", [y, constant($0.value, name: at("\(name)_bias"))], name: at("\(name)_biased")) } ?? y
            let heads = node("Reshape", [biased, constant(int64: [0, 0, h, d], shape: [4], name: at("\(name)_heads_shape"))], name: at("\(name)_heads"))
            return node("Transpose", [heads], attributes: ["perm": .ints([0, 2, 1, 3])], name: at("\(name)_by_head"))  // [N, h, L, d]
        }
        let q = project(0, "q"), k = project(1, "k"), v = project(2, "v")
        let kT = node("Transpose", [k], attributes: ["perm": .ints([0, 1, 3, 2])], name: at("k_t"))
        let scores = node("Mul", [node("MatMul", [q, kT], name: at("qk")), scalar(Float(1 / Double(d).squareRoot()), name: at("scale"))],
                          name: at("scores"))
        let weights = node("Softmax", [node("Add", [scores, mask], name: at("masked_scores"))], attributes: ["axis": .int(-1)],
                           name: at("weights"))
        let attended = node("Transpose", [node("MatMul", [weights, v], name: at("attended"))], attributes: ["perm": .ints([0, 2, 1, 3])],
                            name: at("by_position"))
        let joined = node("Reshape", [attended, constant(int64: [0, 0, e], shape: [3], name: at("joined_shape"))], name: at("joined"))
        return linear3d(mha.outProj, input: joined, path: at("out_proj"))
    }

    /// `x · Wᵀ + b` over `[N, L, in]` (ONNX `Gemm` takes rank 2 only): `MatMul` with the transposed weight
    /// (`path.weight_t`), then `Add`.
    private mutating func linear3d(_ linear: Linear, input: String, path: String) -> String {
        let y = node("MatMul", [input, constant(linear.weight.value.T.contiguous(), name: ONNXGraph.join(path, "weight_t"))],
                     name: path + ".matmul")
        guard let bias = linear.bias else { return y }
        return node("Add", [y, constant(bias.value, name: ONNXGraph.join(path, "bias"))], name: path + ".linear")
    }
}
