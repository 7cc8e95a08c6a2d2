import TrainKitCore
import TrainKitNN

/// Neural collaborative filtering (NeuMF, He et al., 2017) for explicit ratings, with the biases of
/// ``MatrixFactorization``:
///
/// `r̂(u, i) = μ + b_u + b_i + wᵀ [p_u ⊙ q_i ; MLP([p'_u ; q'_i])]`
///
/// a generalized matrix factorization part (`p`, `q`, width `k`) and an MLP part over separate embeddings
/// (`p'`, `q'`, width `k`, then the hidden widths with ReLU and dropout), joined by one linear output.
/// Input int64 `[B, 2]` (user, item; 0 is unknown and its rows stay zero), output `[B]`. Embeddings start
/// from `N(0, 0.05²)`, biases from the given values (the fitted bias baseline) or 0, `μ` is a buffer.
public final class NeuralCollaborativeFiltering: Layer {
    public let moduleState = ModuleState()
    public let userFactors: Parameter
    public let itemFactors: Parameter
    public let userEmbedding: Parameter
    public let itemEmbedding: Parameter
    public let userBias: Parameter
    public let itemBias: Parameter
    public let mlp: Sequential
    public let output: Linear
    public let globalMean: Buffer

    /// - Parameters:
    ///   - users, items: table sizes including the unknown row 0; `factors`: the width `k` of both parts.
    ///   - hidden: the MLP part's widths after the `2k` concatenated embeddings; `dropout` after each.
    ///   - globalMean, userBias, itemBias: as in ``MatrixFactorization``.
    public init(users: Int, items: Int, factors k: Int, hidden: [Int], dropout: Double, globalMean: Double,
                userBias: [Double]? = nil, itemBias: [Double]? = nil) {
        userFactors = MatrixFactorization.table(users, k, std: 0.05)
        itemFactors = MatrixFactorization.table(items, k, std: 0.05)
        userEmbedding = MatrixFactorization.table(users, k, std: 0.05)
        itemEmbedding = MatrixFactorization.table(items, k, std: 0.05)
        self.userBias = MatrixFactorization.table(users, 1, std: 0, start: userBias)
        self.itemBias = MatrixFactorization.table(items, 1, std: 0, start: itemBias)
        var layers: [any Layer] = []
        var width = 2 * k
        for h in hidden {
            layers.append(Linear(width, h))
            layers.append(ReLU())
            if dropout > 0 { layers.append(Dropout(p: dropout)) }
            width = h
        }
        mlp = Sequential(layers)
        output = Linear(k + width, 1)
        self.globalMean = Buffer(Tensor([Float(globalMean)], shape: [1]))
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == 2 && !x.dtype.isFloatingPoint,
                     inputShapeMessage(expected: "int64 [B, 2] (user, item)", got: x.shape))
        let u = x.select(1, 0).contiguous(), i = x.select(1, 1).contiguous()
        let gmf = embedding(u, weight: userFactors.value) * embedding(i, weight: itemFactors.value)
        let deep = mlp(Tensor.cat([embedding(u, weight: userEmbedding.value), embedding(i, weight: itemEmbedding.value)], dim: 1))
        let interaction = output(Tensor.cat([gmf, deep], dim: 1)).reshape([-1])
        let bu = embedding(u, weight: userBias.value).reshape([-1])
        let bi = embedding(i, weight: itemBias.value).reshape([-1])
        return interaction + bu + bi + globalMean.value
    }
}
