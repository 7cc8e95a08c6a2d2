import TrainKitCore

/// A lookup table: `y[…, :] = weight[index[…], :]`.
///
/// Shapes: int index of any shape → `index.shape + [embeddingDim]`. `weight` is
/// `[numEmbeddings, embeddingDim]` from `N(0, 1)` (PyTorch's default), with the `paddingIndex` row zeroed;
/// that row never receives a gradient.
public final class Embedding: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter

    /// PyTorch's name: `weight`.
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries { [("weight", .parameter(weight))] }
    }
    public let paddingIndex: Int?

    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIndex: Int? = nil, key: RandomKey? = nil,
                dtype: DType = .float32) {
        var values = Tensor.normal([numEmbeddings, embeddingDim], key: key ?? Random.nextKey(), dtype: .float64)
        if let p = paddingIndex {
            let row = p < 0 ? p + numEmbeddings : p
            precondition(row >= 0 && row < numEmbeddings, "Embedding: paddingIndex \(p) out of range for \(numEmbeddings) rows")
            let isPadding = (Tensor.arange(0, Double(numEmbeddings)) .== Double(row)).unsqueeze(1)  // [V, 1]
            values = values.maskedFill(isPadding, with: 0)
        }
        weight = Parameter(values.to(dtype))
        self.paddingIndex = paddingIndex
    }

    /// Builds the layer from an existing `[V, D]` table.
    public init(weight: Tensor, paddingIndex: Int? = nil) {
        precondition(weight.rank == 2, "Embedding: weight must be [V, D], got \(weight.shape)")
        self.weight = Parameter(weight)
        self.paddingIndex = paddingIndex
    }

    public func forward(_ index: Tensor) -> Tensor {
        precondition(!index.dtype.isFloatingPoint && index.dtype != .bool,
                     inputShapeMessage(expected: "int indices (got \(index.dtype))", got: index.shape))
        return embedding(index, weight: weight.value, paddingIndex: paddingIndex)
    }
}
