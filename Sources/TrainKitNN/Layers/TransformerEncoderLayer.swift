import TrainKitCore

/// One transformer encoder block (PyTorch's `nn.TransformerEncoderLayer`): self-attention then a
/// two-layer feed-forward network, each wrapped in a residual connection and layer norm.
///
/// Post-norm (default): `x = norm1(x + SA(x))`, `x = norm2(x + FF(x))`.
/// Pre-norm (`normFirst`): `x = x + SA(norm1(x))`, `x = x + FF(norm2(x))`.
/// `SA(x) = dropout(selfAttention(x, x, x))`, `FF(x) = dropout(linear2(dropout(act(linear1(x)))))`.
///
/// Shapes: `[S, N, dModel]` (`[N, S, dModel]` with `batchFirst`) → same.
///
/// ```swift
/// let block = TransformerEncoderLayer(dModel: 64, numHeads: 4, dimFeedforward: 256, batchFirst: true)
/// let y = block(Tensor.zeros([2, 10, 64]))
/// ```
public final class TransformerEncoderLayer: Layer {
    /// The feed-forward activation.
    public enum Activation: Sendable { case relu, gelu }

    public let moduleState = ModuleState()
    public let selfAttention: MultiheadAttention
    public let linear1: Linear
    public let linear2: Linear
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    public let dropout: Dropout
    public let dropout1: Dropout
    public let dropout2: Dropout
    public let activation: Activation
    public let normFirst: Bool

    /// PyTorch's names and order: `self_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`,
    /// `dropout2` (so `self_attn.in_proj_weight`, `linear1.weight`, `norm2.bias`, ...).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            [("self_attn", .module(selfAttention)), ("linear1", .module(linear1)), ("dropout", .module(dropout)),
             ("linear2", .module(linear2)), ("norm1", .module(norm1)), ("norm2", .module(norm2)),
             ("dropout1", .module(dropout1)), ("dropout2", .module(dropout2))]
        }
    }

    /// The name before TrainKit took PyTorch's: `selfAttention`.
    public var legacyEntryNames: [(legacy: String, current: String)] { [("selfAttention", "self_attn")] }

    public init(dModel: Int, numHeads: Int, dimFeedforward: Int = 2048, dropout: Double = 0.1,
                activation: Activation = .relu, layerNormEps: Double = 1e-5, batchFirst: Bool = false,
                normFirst: Bool = false, key: RandomKey? = nil, dtype: DType = .float32) {
        let keys = (key ?? Random.nextKey()).split(6)
        selfAttention = MultiheadAttention(dModel, numHeads, dropout: dropout, batchFirst: batchFirst, key: keys[0], dtype: dtype)
        linear1 = Linear(dModel, dimFeedforward, key: keys[1], dtype: dtype)
        linear2 = Linear(dimFeedforward, dModel, key: keys[2], dtype: dtype)
        norm1 = LayerNorm(dModel, eps: layerNormEps, dtype: dtype)
        norm2 = LayerNorm(dModel, eps: layerNormEps, dtype: dtype)
        self.dropout = Dropout(p: dropout, key: keys[3])
        dropout1 = Dropout(p: dropout, key: keys[4])
        dropout2 = Dropout(p: dropout, key: keys[5])
        self.activation = activation
        self.normFirst = normFirst
    }

    public func forward(_ x: Tensor) -> Tensor { callAsFunction(x, mask: nil) }

    /// Runs the block with an optional attention mask (`[S, S]`, bool true = ignore, or float) and key
    /// padding mask (`[N, S]`).
    public func callAsFunction(_ x: Tensor, mask: Tensor?, keyPaddingMask: Tensor? = nil, isCausal: Bool = false) -> Tensor {
        let d = norm1.normalizedShape[0]
        precondition(x.rank == 3 && x.shape[2] == d,
                     inputShapeMessage(expected: selfAttention.batchFirst ? "[N, S, \(d)]" : "[S, N, \(d)]", got: x.shape))
        func attend(_ y: Tensor) -> Tensor {
            dropout1(selfAttention(y, y, y, keyPaddingMask: keyPaddingMask, attentionMask: mask, isCausal: isCausal))
        }
        func feedForward(_ y: Tensor) -> Tensor {
            let hidden = linear1(y)
            let act = activation == .relu ? hidden.relu() : hidden.gelu()
            return dropout2(linear2(dropout(act)))
        }
        if normFirst {
            let y = x + attend(norm1(x))
            return y + feedForward(norm2(y))
        }
        let y = norm1(x + attend(x))
        return norm2(y + feedForward(y))
    }
}
