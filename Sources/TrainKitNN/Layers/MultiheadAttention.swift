import TrainKitCore

/// Multi-head attention (PyTorch's `nn.MultiheadAttention`, returning the output only).
///
/// `q = query·W_qᵀ + b_q`, `k = key·W_kᵀ + b_k`, `v = value·W_vᵀ + b_v`, each split into `numHeads` heads of
/// `d = embedDim / numHeads` contiguous features; per head `softmax(q kᵀ / √d + mask) v`; heads joined and
/// projected: `out·W_oᵀ + b_o`. Masks: `attentionMask` `[L, S]` (or `[N·heads, L, S]`) and
/// `keyPaddingMask` `[N, S]`, bool with **true = ignore** or float (added to the scores); `isCausal` lets
/// query `i` see keys `0...i`. All combine. Dropout `dropout` applies to the attention weights in training.
///
/// Shapes: query `[L, N, E]`, key/value `[S, N, E]` (`[N, L, E]` / `[N, S, E]` with `batchFirst`) →
/// `[L, N, E]` (or `[N, L, E]`).
///
/// Parameters: `inProjWeight` `[3E, E]` (W_q, W_k, W_v stacked; Xavier uniform), `inProjBias` `[3E]`
/// (zeros), `outProj` a ``Linear`` (PyTorch's default weight, zero bias). State-dict keys are PyTorch's:
/// `in_proj_weight`, `in_proj_bias`, `out_proj.weight`, `out_proj.bias`.
public final class MultiheadAttention: Module {
    public let moduleState = ModuleState()
    public let inProjWeight: Parameter
    public let inProjBias: Parameter?
    public let outProj: Linear
    public let numHeads: Int
    public let dropout: Double
    public let batchFirst: Bool

    /// PyTorch's names: `in_proj_weight`, `in_proj_bias`, `out_proj` (so `out_proj.weight`, `out_proj.bias`).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("in_proj_weight", .parameter(inProjWeight)),
                            ("in_proj_bias", inProjBias.map(ModuleEntry.parameter)), ("out_proj", .module(outProj)))
        }
    }

    /// The names before TrainKit took PyTorch's: `inProjWeight`, `inProjBias`, `outProj`.
    public var legacyEntryNames: [(legacy: String, current: String)] {
        [("inProjWeight", "in_proj_weight"), ("inProjBias", "in_proj_bias"), ("outProj", "out_proj")]
    }

    public init(_ embedDim: Int, _ numHeads: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false,
                key: RandomKey? = nil, dtype: DType = .float32) {
        precondition(numHeads > 0 && embedDim % numHeads == 0,
                     "MultiheadAttention: embedDim \(embedDim) is not divisible by numHeads \(numHeads)")
        let keys = (key ?? Random.nextKey()).split(2)
        inProjWeight = Parameter(Initializers.xavierUniform([3 * embedDim, embedDim], key: keys[0], dtype: dtype))
        inProjBias = bias ? Parameter(.zeros([3 * embedDim], dtype: dtype)) : nil
        let out = Linear(embedDim, embedDim, bias: bias, key: keys[1], dtype: dtype)
        out.bias?.value = .zeros([embedDim], dtype: dtype)
        outProj = out
        self.numHeads = numHeads
        self.dropout = dropout
        self.batchFirst = batchFirst
    }

    /// Builds the layer from existing tensors: `inProjWeight` `[3E, E]`, `inProjBias` `[3E]`,
    /// `outProjWeight` `[E, E]`, `outProjBias` `[E]`.
    public init(inProjWeight: Tensor, inProjBias: Tensor?, outProjWeight: Tensor, outProjBias: Tensor?, numHeads: Int,
                dropout: Double = 0, batchFirst: Bool = false) {
        let e = outProjWeight.shape[0]
        precondition(inProjWeight.shape == [3 * e, e] && outProjWeight.shape == [e, e] && e % numHeads == 0,
                     "MultiheadAttention: inProjWeight \(inProjWeight.shape) and outProjWeight \(outProjWeight.shape) do not fit embedDim \(e), numHeads \(numHeads)")
        self.inProjWeight = Parameter(inProjWeight)
        self.inProjBias = inProjBias.map(Parameter.init)
        outProj = Linear(weight: outProjWeight, bias: outProjBias)
        self.numHeads = numHeads
        self.dropout = dropout
        self.batchFirst = batchFirst
    }

    public var embedDim: Int { outProj.weight.shape[0] }

    /// Attends from `query` to `key`/`value`; see the type's documentation for shapes and masks.
    public func callAsFunction(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: Tensor? = nil,
                               attentionMask: Tensor? = nil, isCausal: Bool = false) -> Tensor {
        let e = embedDim, h = numHeads, d = e / h
        let layout = batchFirst ? "[N, L, \(e)]" : "[L, N, \(e)]"
        for t in [query, key, value] {
            precondition(t.rank == 3 && t.shape[2] == e, inputShapeMessage(expected: layout, got: t.shape))
        }
        let (q0, k0, v0) = batchFirst ? (query, key, value) : (query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1))
        let (n, l, s) = (q0.shape[0], q0.shape[1], k0.shape[1])
        precondition(k0.shape == v0.shape && k0.shape[0] == n,
                     inputShapeMessage(expected: "key and value of one shape with batch \(n)", got: k0.shape))
        let w = inProjWeight.value, b = inProjBias?.value
        func project(_ x: Tensor, _ i: Int, _ length: Int) -> Tensor {
            Tensor.linear(x, weight: w.narrow(0, start: i * e, length: e), bias: b?.narrow(0, start: i * e, length: e))
                .reshape([n, length, h, d]).permute([0, 2, 1, 3])  // [N, h, len, d]
        }
        let q = project(q0, 0, l), k = project(k0, 1, s), v = project(v0, 2, s)
        var mask: Tensor? = nil
        if let attentionMask {
            if attentionMask.rank == 2 {
                precondition(attentionMask.shape == [l, s], inputShapeMessage(expected: "attention mask [\(l), \(s)]", got: attentionMask.shape))
                mask = additiveMask(attentionMask, isCausal: false, l: l, s: s, dtype: q.dtype, device: q.device)
            } else {
                precondition(attentionMask.shape == [n * h, l, s],
                             inputShapeMessage(expected: "attention mask [\(l), \(s)] or [\(n * h), \(l), \(s)]", got: attentionMask.shape))
                mask = additiveMask(attentionMask.reshape([n, h, l, s]), isCausal: false, l: l, s: s, dtype: q.dtype,
                                    device: q.device)
            }
        }
        if let keyPaddingMask {
            precondition(keyPaddingMask.shape == [n, s], inputShapeMessage(expected: "key padding mask [\(n), \(s)]", got: keyPaddingMask.shape))
            let padding = additiveMask(keyPaddingMask.reshape([n, 1, 1, s]), isCausal: false, l: l, s: s,
                                       dtype: q.dtype, device: q.device)!
            mask = mask.map { $0 + padding } ?? padding
        }
        let attended = scaledDotProductAttention(query: q, key: k, value: v, attentionMask: mask, isCausal: isCausal,
                                                 dropout: dropout, training: isTraining)  // [N, h, L, d]
        let joined = attended.permute([0, 2, 1, 3]).reshape([n, l, e])
        let out = outProj(joined)
        return batchFirst ? out : out.transpose(0, 1).contiguous()
    }
}
