import TrainKitCore

/// A multi-layer long short-term memory network, optionally bidirectional.
///
/// Per step, with gates stacked `i, f, g, o` in the weights:
/// `i = σ(W_ii x + b_ii + W_hi h + b_hi)`, `f = σ(…)`, `g = tanh(…)`, `o = σ(…)`,
/// `c' = f ⊙ c + i ⊙ g`, `h' = o ⊙ tanh(c')`. Layer `k > 0` reads the previous layer's outputs (both
/// directions concatenated), with dropout `dropout` between layers while training.
///
/// Shapes: input `[T, N, inputSize]` (`[N, T, inputSize]` with `batchFirst`, or unbatched `[T, inputSize]`)
/// → output `[T, N, D·hiddenSize]` (same layout); states `h`, `c` are `[numLayers·D, N, hiddenSize]`
/// whatever `batchFirst` says (D = 2 when bidirectional). Missing initial states are zeros.
///
/// Parameters: `weightIH[k]` `[4H, in]`, `weightHH[k]` `[4H, H]`, `biasIH[k]`, `biasHH[k]` `[4H]`, with
/// `k = layer·D + direction`, all from `U(-1/√H, 1/√H)`. State-dict keys are PyTorch's:
/// `weight_ih_l{layer}`, `weight_hh_l{layer}`, `bias_ih_l{layer}`, `bias_hh_l{layer}` (`_reverse` appended for
/// the backward direction), in PyTorch's order.
///
/// ```swift
/// let lstm = LSTM(10, 20, numLayers: 2, batchFirst: true)
/// let (y, state) = lstm(Tensor.zeros([3, 5, 10]))   // y: [3, 5, 20], state.h: [2, 3, 20]
/// ```
public final class LSTM: Module {
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
        let p = config.initialWeights(cell: .lstm, bias: bias, key: key, dtype: dtype)
        (weightIH, weightHH, biasIH, biasHH) = (p[0], p[1], p[2], p[3])
    }

    /// Builds the layer from existing tensors, ordered `layer·D + direction`.
    public init(weightIH: [Tensor], weightHH: [Tensor], biasIH: [Tensor]? = nil, biasHH: [Tensor]? = nil,
                batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false) {
        config = .inferred(weightIH: weightIH, weightHH: weightHH, cell: .lstm, bidirectional: bidirectional,
                           batchFirst: batchFirst, dropout: dropout, name: "LSTM")
        self.weightIH = weightIH.map(Parameter.init)
        self.weightHH = weightHH.map(Parameter.init)
        self.biasIH = (biasIH ?? []).map(Parameter.init)
        self.biasHH = (biasHH ?? []).map(Parameter.init)
    }

    public var inputSize: Int { config.inputSize }
    public var hiddenSize: Int { config.hiddenSize }
    public var numLayers: Int { config.numLayers }

    /// Runs the sequence from `initialState` (zeros when nil); returns the outputs and the final states.
    public func callAsFunction(_ x: Tensor, initialState: (h: Tensor, c: Tensor)? = nil)
        -> (output: Tensor, state: (h: Tensor, c: Tensor))
    {
        checkRecurrentInput(self, config, x, states: initialState.map { [$0.h, $0.c] } ?? [])
        let r = runRecurrence(.lstm, config, recurrentWeights(weightIH, weightHH, biasIH, biasHH), x: x,
                              h0: initialState?.h, c0: initialState?.c, training: isTraining)
        return (r.output, (r.h, r.c!))
    }
}

func recurrentWeights(_ ih: [Parameter], _ hh: [Parameter], _ bih: [Parameter], _ bhh: [Parameter]) -> RecurrentWeights {
    RecurrentWeights(ih: ih.map(\.value), hh: hh.map(\.value), biasIH: bih.isEmpty ? nil : bih.map(\.value),
                     biasHH: bhh.isEmpty ? nil : bhh.map(\.value))
}

/// Stops with the layer's path when the input or a state has the wrong shape.
func checkRecurrentInput(_ module: some Module, _ config: RecurrentConfig, _ x: Tensor, states: [Tensor]) {
    let d = config.directions * config.numLayers
    let layout = config.batchFirst ? "[N, T, \(config.inputSize)]" : "[T, N, \(config.inputSize)]"
    precondition((x.rank == 3 || x.rank == 2) && x.shape.last == config.inputSize,
                 module.inputShapeMessage(expected: "\(layout) or [T, \(config.inputSize)]", got: x.shape))
    let batch = x.rank == 3 ? [x.shape[config.batchFirst ? 0 : 1]] : []
    for s in states {
        let expected = [d] + batch + [config.hiddenSize]
        precondition(s.shape == expected, module.inputShapeMessage(expected: "initial state \(expected)", got: s.shape))
    }
}
