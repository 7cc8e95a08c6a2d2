import TrainKitCore
import TrainKitNN

/// Matrix factorization with biases: `r̂(u, i) = μ + b_u + b_i + p_u · q_i`.
///
/// Input int64 `[B, 2]` (user index, item index; 0 is the unknown user / item, whose row stays zero, so an
/// unknown pair predicts `μ` plus the known side's bias). Output `[B]`. `p`, `q` start from `N(0, 0.05²)`,
/// biases at the given values (a fitted bias baseline, so training starts from it) or 0; `μ` is a buffer
/// (the training mean).
public final class MatrixFactorization: Layer {
    public let moduleState = ModuleState()
    public let userFactors: Parameter
    public let itemFactors: Parameter
    public let userBias: Parameter
    public let itemBias: Parameter
    public let globalMean: Buffer

    /// - Parameters:
    ///   - users, items: table sizes including the unknown row 0 (ids `1..<users` are real users).
    ///   - factors: the width `k` of `p_u` and `q_i`.
    ///   - globalMean: `μ`, usually the training ratings' mean.
    ///   - userBias, itemBias: starting biases per row (index 0 is ignored: the unknown row stays 0).
    public init(users: Int, items: Int, factors: Int, globalMean: Double, userBias: [Double]? = nil,
                itemBias: [Double]? = nil) {
        userFactors = Self.table(users, factors, std: 0.05)
        itemFactors = Self.table(items, factors, std: 0.05)
        self.userBias = Self.table(users, 1, std: 0, start: userBias)
        self.itemBias = Self.table(items, 1, std: 0, start: itemBias)
        self.globalMean = Buffer(Tensor([Float(globalMean)], shape: [1]))
    }

    /// A `[rows, width]` table from `N(0, std²)` (zeros when `std` is 0), its first values replaced by `start`,
    /// with row 0 (the unknown id) zero.
    static func table(_ rows: Int, _ width: Int, std: Double, start: [Double]? = nil) -> Parameter {
        var values = std == 0 ? [Float](repeating: 0, count: rows * width)
                              : (Tensor.normal([rows, width], key: Random.nextKey()) * std).toArray()
        if let start { for (k, v) in start.prefix(rows).enumerated() { values[k] = Float(v) } }
        for j in 0..<width { values[j] = 0 }
        return Parameter(Tensor(values, shape: [rows, width]))
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == 2 && !x.dtype.isFloatingPoint,
                     inputShapeMessage(expected: "int64 [B, 2] (user, item)", got: x.shape))
        let u = x.select(1, 0).contiguous(), i = x.select(1, 1).contiguous()
        let p = embedding(u, weight: userFactors.value), q = embedding(i, weight: itemFactors.value)
        let bu = embedding(u, weight: userBias.value).reshape([-1])
        let bi = embedding(i, weight: itemBias.value).reshape([-1])
        return (p * q).sum(1) + bu + bi + globalMean.value
    }
}
