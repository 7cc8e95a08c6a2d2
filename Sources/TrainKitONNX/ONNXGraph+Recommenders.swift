import TrainKit

extension ONNXGraph {
    /// Declares the string inputs `user` and `item` (`[N, 1]` each, the ids as written in the ratings file) and
    /// maps them to the model's int64 `[N, 2]` pairs: an id's row is its index in `users` / `items` plus one, and
    /// an id training never saw takes row 0 (the unknown row), as `trainkit predict` does.
    public mutating func addRatingInputs(users: [String], items: [String]) throws -> String {
        func codes(_ name: String, _ ids: [String]) throws -> String {
            let x = try addInput(name, type: .string, shape: [.batch, .fixed(1)])
            guard !ids.isEmpty else {
                throw ONNXExportError.unsupportedModel("the ratings have no \(name) ids to encode")
            }
            return node("LabelEncoder", [x], attributes: [
                "keys_strings": .strings(ids), "values_int64s": .ints(ids.indices.map { $0 + 1 }), "default_int64": .int(0),
            ], domain: "ai.onnx.ml", name: name + ".row")
        }
        let u = try codes("user", users), i = try codes("item", items)
        return node("Concat", [u, i], attributes: ["axis": .int(1)], name: "pairs")
    }

    /// The rows of `table` for column `column` of the int64 `[N, 2]` pairs: `[N, D]` (or `[N]` for a bias).
    mutating func lookup(_ table: Parameter, pairs: String, column: Int, name: String, flat: Bool = false) -> String {
        let index = node("Gather", [pairs, constant(int64: [column], shape: [], name: name + ".column")],
                         attributes: ["axis": .int(1)], name: name + ".index")
        let rows = node("Gather", [constant(table.value, name: name), index], attributes: ["axis": .int(0)], name: name + ".rows")
        guard flat else { return rows }
        return node("Reshape", [rows, constant(int64: [-1], shape: [1], name: name + ".flat_shape")], name: name + ".flat")
    }

    /// `Σ p·q + b_u + b_i + μ` over the int64 `[N, 2]` pairs: `[N]`.
    mutating func matrixFactorization(_ mf: MatrixFactorization, input: String, path: String) -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        let p = lookup(mf.userFactors, pairs: input, column: 0, name: at("user_factors"))
        let q = lookup(mf.itemFactors, pairs: input, column: 1, name: at("item_factors"))
        let dot = node("ReduceSum", [node("Mul", [p, q], name: at("pq")), constant(int64: [1], shape: [1], name: at("axis"))],
                       attributes: ["keepdims": .int(0)], name: at("dot"))
        return biased(dot, userBias: mf.userBias, itemBias: mf.itemBias, mean: mf.globalMean, pairs: input, path: path)
    }

    /// GMF `p·q` beside the MLP over `[u, i]` embeddings, one `Linear` over both, plus the biases: `[N]`.
    mutating func neuralCollaborativeFiltering(_ ncf: NeuralCollaborativeFiltering, input: String, path: String) throws -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        let gmf = node("Mul", [lookup(ncf.userFactors, pairs: input, column: 0, name: at("user_factors")),
                               lookup(ncf.itemFactors, pairs: input, column: 1, name: at("item_factors"))], name: at("gmf"))
        let joined = node("Concat", [lookup(ncf.userEmbedding, pairs: input, column: 0, name: at("user_embedding")),
                                     lookup(ncf.itemEmbedding, pairs: input, column: 1, name: at("item_embedding"))],
                          attributes: ["axis": .int(1)], name: at("embeddings"))
        let deep = try apply(ncf.mlp, to: joined, path: at("mlp"))
        let both = node("Concat", [gmf, deep], attributes: ["axis": .int(1)], name: at("interaction_inputs"))
        let interaction = try apply(ncf.output, to: both, path: at("output"))
        let flat = node("Reshape", [interaction, constant(int64: [-1], shape: [1], name: at("flat_shape"))], name: at("interaction"))
        return biased(flat, userBias: ncf.userBias, itemBias: ncf.itemBias, mean: ncf.globalMean, pairs: input, path: path)
    }

    private mutating func biased(_ x: String, userBias: Parameter, itemBias: Parameter, mean: Buffer, pairs: String,
                                 path: String) -> String {
        let at = { (name: String) in ONNXGraph.join(path, name) }
        let bu = lookup(userBias, pairs: pairs, column: 0, name: at("user_bias"), flat: true)
        let bi = lookup(itemBias, pairs: pairs, column: 1, name: at("item_bias"), flat: true)
        let sum = node("Add", [node("Add", [x, bu], name: at("plus_user_bias")), bi], name: at("plus_item_bias"))
        return node("Add", [sum, constant(mean.value, name: at("global_mean"))], name: at("rating"))
    }
}
