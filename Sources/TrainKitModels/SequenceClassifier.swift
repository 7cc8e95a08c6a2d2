import TrainKitCore
import TrainKitNN

/// A text classifier that reads tokens in order (model kind `text` with `encoder: lstm` or `transformer`):
/// token embeddings → a sequence encoder → the mean of the encoder's outputs over the real tokens → MLP head.
///
/// Input int64 ids `[B, L]` with 0 as padding; output `[B, outputs]`.
/// - `lstm`: a bidirectional ``LSTM`` (`layers` deep, hidden width `D` per direction), so each position
///   sees the whole text; pooled width `2D`. The backward direction starts at the end of the padded row, so
///   trailing padding (zero embeddings) shifts its states: the same text padded to another length gives
///   slightly different logits (pad every text to one length, as the CLI's tokenizer does).
/// - `transformer`: learned position embeddings are added, then `layers` pre-norm
///   ``TransformerEncoderLayer``s (`heads` heads, feed-forward width `4D`, GELU) whose attention skips the
///   padding, and a final layer norm; pooled width `D`.
///
/// Mean pooling: `pooled[b] = Σ_t m[b,t] · h[b,t] / max(1, Σ_t m[b,t])` with `m = (ids ≠ 0)`.
public final class SequenceClassifier: Layer {
    public enum Encoder: String, Codable, Sendable { case lstm, transformer }

    public let moduleState = ModuleState()
    public let embedding: Embedding
    public let positions: Embedding?
    public let lstm: LSTM?
    public let blocks: [TransformerEncoderLayer]
    public let finalNorm: LayerNorm?
    public let embeddingDropout: Dropout
    public let head: Sequential

    /// - Parameters:
    ///   - vocabularySize: token ids `0..<vocabularySize`, 0 the padding.
    ///   - embeddingDim: `D`, the token embedding and model width.
    ///   - sequenceLength: the most tokens per text (the transformer's position table; unused by the LSTM).
    ///   - layers: LSTM or transformer layers; `heads`: attention heads (transformer, must divide `D`).
    ///   - dropout: on the embeddings, between LSTM layers and inside the transformer blocks.
    ///   - head: builds the classifier from the pooled width (`2D` for the LSTM, `D` for the transformer).
    public init(encoder: Encoder, vocabularySize: Int, embeddingDim d: Int, sequenceLength: Int, layers: Int,
                heads: Int, dropout: Double, head: (Int) -> Sequential) {
        embedding = Embedding(weight: Self.table(vocabularySize, d, zeroFirstRow: true), paddingIndex: 0)
        embeddingDropout = Dropout(p: dropout)
        switch encoder {
        case .lstm:
            lstm = LSTM(d, d, numLayers: layers, batchFirst: true, dropout: layers > 1 ? dropout : 0, bidirectional: true)
            positions = nil
            blocks = []
            finalNorm = nil
            self.head = head(2 * d)
        case .transformer:
            lstm = nil
            positions = Embedding(weight: Self.table(sequenceLength, d, zeroFirstRow: false))
            blocks = (0..<layers).map { _ in
                TransformerEncoderLayer(dModel: d, numHeads: heads, dimFeedforward: 4 * d, dropout: dropout,
                                        activation: .gelu, batchFirst: true, normFirst: true)
            }
            finalNorm = LayerNorm(d)
            self.head = head(d)
        }
    }

    /// `N(0, 0.1²)` rows (row 0 zero for the padding token).
    static func table(_ rows: Int, _ width: Int, zeroFirstRow: Bool) -> Tensor {
        var w = (Tensor.normal([rows, width], key: Random.nextKey()) * 0.1).toArray()
        if zeroFirstRow { for j in 0..<width { w[j] = 0 } }
        return Tensor(w, shape: [rows, width])
    }

    public func forward(_ ids: Tensor) -> Tensor {
        precondition(ids.rank == 2 && ids.dtype == .int64, inputShapeMessage(expected: "int64 [B, L]", got: ids.shape))
        let (b, l) = (ids.shape[0], ids.shape[1])
        let real = (ids .!= 0)
        var h = embeddingDropout(embedding(ids))
        if let lstm {
            h = lstm(h).output
        } else {
            let maxLength = positions!.weight.shape[0]
            precondition(l <= maxLength, inputShapeMessage(expected: "at most \(maxLength) tokens", got: ids.shape))
            h = h + positions!(Tensor(Array(0..<l), shape: [1, l]))
            // Padding is masked from attention, except position 0 so that an all-padding row stays finite.
            var padding = real.logicalNot().toArray(as: Bool.self)
            for r in 0..<b { padding[r * l] = false }
            let mask = Tensor(padding, shape: [b, l])
            for block in blocks { h = block(h, mask: nil, keyPaddingMask: mask) }
            h = finalNorm!(h)
        }
        let weights = real.to(h.dtype).unsqueeze(2)                        // [B, L, 1]
        let counts = weights.sum(1).clamp(min: 1, max: Double(l))          // [B, 1]
        return head((h * weights).sum(1) / counts)
    }
}
