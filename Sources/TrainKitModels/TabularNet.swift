import TrainKitCore
import TrainKitNN

/// A network for mixed tables: each categorical column's code goes through its own embedding, numeric
/// columns pass as they are (standardized upstream), and the concatenation feeds an MLP.
///
/// Input float32 `[B, F]` where categorical columns hold ordinal codes (-1 for a category unseen in
/// training, which maps to the embedding's row 0). `cardinalities[j]` is 0 for a numeric column and the
/// category count for a categorical one. Output `[B, outputs]`.
public final class TabularNet: Layer {
    public let moduleState = ModuleState()
    public let embeddings: [Embedding]
    public let head: Sequential
    private let numericColumns: Tensor
    private let categoricalColumns: [Int]

    /// - Parameters:
    ///   - cardinalities: per input column, 0 for numeric or the category count `k` (codes `0..<k`; the
    ///     embedding has `k + 1` rows, row 0 for -1, an unseen category).
    ///   - embeddingDims: per input column, the embedding width of a categorical column (ignored for numeric).
    ///   - head: builds the MLP from the concatenated width (numeric columns + embedding widths).
    public init(cardinalities: [Int], embeddingDims: [Int], head: (Int) -> Sequential) {
        var embeddings: [Embedding] = []
        var numeric: [Int] = [], categorical: [Int] = []
        var width = 0
        for (j, k) in cardinalities.enumerated() {
            if k == 0 {
                numeric.append(j)
                width += 1
            } else {
                categorical.append(j)
                let d = embeddingDims[j]
                let table = (Tensor.normal([k + 1, d], key: Random.nextKey()) * 0.1)
                embeddings.append(Embedding(weight: table))
                width += d
            }
        }
        self.embeddings = embeddings
        self.numericColumns = Tensor(numeric)
        self.categoricalColumns = categorical
        self.head = head(width)
    }

    /// The input columns that pass as numbers, in order (the head's first inputs).
    public var numericColumnIndices: [Int] { numericColumns.toArray(as: Int64.self).map { Int($0) } }
    /// The input columns holding categorical codes, one per embedding, in order.
    public var categoricalColumnIndices: [Int] { categoricalColumns }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2, inputShapeMessage(expected: "[B, F]", got: x.shape))
        var parts: [Tensor] = []
        if numericColumns.count > 0 { parts.append(x.indexSelect(1, numericColumns)) }
        for (embedding, j) in zip(embeddings, categoricalColumns) {
            let codes = (x.select(1, j).detach() + 1).clamp(min: 0, max: Double(embedding.weight.shape[0] - 1))
            parts.append(embedding(codes.to(.int64)))
        }
        return head(parts.count == 1 ? parts[0] : Tensor.cat(parts, dim: 1))
    }
}
