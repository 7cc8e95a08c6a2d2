import TrainKitCore
import TrainKitNN

/// Text classification by mean-pooled word embeddings and an MLP (fastText-style):
/// `logits = head(EmbeddingBag(ids))`. Shapes: int64 ids `[B, L]` → `[B, classes]`.
public final class TextClassifier: Layer {
    public let moduleState = ModuleState()
    public let embedding: EmbeddingBag
    public let head: Sequential

    /// - Parameters:
    ///   - vocabularySize: token ids `0..<vocabularySize`, 0 the padding.
    ///   - embeddingDim: the width `D` of each token's embedding (and of the head's input).
    ///   - head: builds the classifier from width `D`, e.g. `{ Sequential { Linear($0, classes) } }`.
    public init(vocabularySize: Int, embeddingDim: Int, head: (Int) -> Sequential) {
        embedding = EmbeddingBag(vocabularySize, embeddingDim)
        self.head = head(embeddingDim)
    }

    public func forward(_ ids: Tensor) -> Tensor { head(embedding(ids)) }
}
