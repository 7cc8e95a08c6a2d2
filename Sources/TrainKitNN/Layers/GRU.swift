import TrainKitCore

/// A multi-layer gated recurrent unit network, optionally bidirectional.
///
/// Per step, with gates stacked `r, z, n` in the weights:
/// `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(W_iz x + b_iz + W_hz h + b_hz)`,
/// `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, `h' = (1 - z) ⊙ n + z ⊙ h`.
///
/// Shapes: input `[T, N, inputSize]` (`[N, T, inputSize]` with `batchFirst`, or `[T, inputSize]`) → output
/// `[T, N, D·hiddenSize]`; the state `h` is `[numLayers·D, N, hiddenSize]` whatever `batchFirst` says.
/// Parameters as in ``LSTM`` with `3H` rows, from `U(-1/√H, 1/√H)`.
public final class GRU: Module {
    public let moduleState = ModuleState()
    public let weightIH: [Parameter]
    public let weightHH: [Parameter]
    public let biasIH: [Parameter]
    public let biasHH: [Parameter]
    let config: RecurrentConfig

    /// PyTorch's names and order: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then
    /// `..._l0_reverse` when bidirectional, then layer 1.
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries { config.entries(weightIH, weightHH, biasIH, biasHH) }
    }

    /// The names before TrainKit took PyTorch's: `weightIH.k`, `weightHH.k`, `biasIH.k`, `biasHH.k`.
    public var legacyEntryNames: [(legacy: String, current: String)] { config.legacyNames(hasBias: !biasIH.isEmpty) }

    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
                dropout: Double = 0, bidirectional: Bool = false, key: RandomKey? = nil, dtype: DType = .float32) {
        config = RecurrentConfig(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                 bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout)
        let p = config.initialWeights(cell: .gru, bias: bias, key: key, dtype: dtype)
        (weightIH, weightHH, biasIH, biasHH) = (p[0], p[1], p[2], p[3])
    }

    /// Builds the layer from existing tensors, ordered `layer·D + direction`.
    public init(weightIH: [Tensor], weightHH: [Tensor], biasIH: [Tensor]? = nil, biasHH: [Tensor]? = nil,
                batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false) {
        config = .inferred(weightIH: weightIH, weightHH: weightHH, cell: .gru, bidirectional: bidirectional,
                           batchFirst: batchFirst, dropout: dropout, name: "GRU")
        self.weightIH = weightIH.map(Parameter.init)
        self.weightHH = weightHH.map(Parameter.init)
        self.biasIH = (biasIH ?? []).map(Parameter.init)
        self.biasHH = (biasHH ?? []).map(Parameter.init)
    }

    public var inputSize: Int { config.inputSize }
    public var hiddenSize: Int { config.hiddenSize }
    public var numLayers: Int { config.numLayers }

    /// Runs the sequence from `initialState` (zeros when nil); returns the outputs and the final state.
    public func callAsFunction(_ x: Tensor, initialState: Tensor? = nil) -> (output: Tensor, state: Tensor) {
        checkRecurrentInput(self, config, x, states: initialState.map { [$0] } ?? [])
        let r = runRecurrence(.gru, config, recurrentWeights(weightIH, weightHH, biasIH, biasHH), x: x,
                              h0: initialState, c0: nil, training: isTraining)
        return (r.output, r.h)
    }
}
