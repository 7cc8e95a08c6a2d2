import TrainKitCore

/// A multi-layer Elman recurrent network, optionally bidirectional:
/// `h' = act(W_ih x + b_ih + W_hh h + b_hh)` with `act` tanh (default) or ReLU.
///
/// Shapes: input `[T, N, inputSize]` (`[N, T, inputSize]` with `batchFirst`, or `[T, inputSize]`) → output
/// `[T, N, D·hiddenSize]`; the state `h` is `[numLayers·D, N, hiddenSize]`. Parameters as in ``LSTM``
/// with `H` rows, from `U(-1/√H, 1/√H)`.
public final class RNN: Module {
    /// The cell nonlinearity.
    public enum Nonlinearity: Sendable { case tanh, relu }

    public let moduleState = ModuleState()
    public let weightIH: [Parameter]
    public let weightHH: [Parameter]
    public let biasIH: [Parameter]
    public let biasHH: [Parameter]
    public let nonlinearity: Nonlinearity
    let config: RecurrentConfig

    /// PyTorch's names and order: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, then
    /// `..._l0_reverse` when bidirectional, then layer 1.
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries { config.entries(weightIH, weightHH, biasIH, biasHH) }
    }

    /// The names before TrainKit took PyTorch's: `weightIH.k`, `weightHH.k`, `biasIH.k`, `biasHH.k`.
    public var legacyEntryNames: [(legacy: String, current: String)] { config.legacyNames(hasBias: !biasIH.isEmpty) }

    public init(_ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: Nonlinearity = .tanh,
                bias: Bool = true, batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false,
                key: RandomKey? = nil, dtype: DType = .float32) {
        config = RecurrentConfig(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
                                 bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout)
        self.nonlinearity = nonlinearity
        let p = config.initialWeights(cell: .tanh, bias: bias, key: key, dtype: dtype)
        (weightIH, weightHH, biasIH, biasHH) = (p[0], p[1], p[2], p[3])
    }

    /// Builds the layer from existing tensors, ordered `layer·D + direction`.
    public init(weightIH: [Tensor], weightHH: [Tensor], biasIH: [Tensor]? = nil, biasHH: [Tensor]? = nil,
                nonlinearity: Nonlinearity = .tanh, batchFirst: Bool = false, dropout: Double = 0,
                bidirectional: Bool = false) {
        config = .inferred(weightIH: weightIH, weightHH: weightHH, cell: .tanh, bidirectional: bidirectional,
                           batchFirst: batchFirst, dropout: dropout, name: "RNN")
        self.nonlinearity = nonlinearity
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
        let r = runRecurrence(nonlinearity == .tanh ? .tanh : .relu, config,
                              recurrentWeights(weightIH, weightHH, biasIH, biasHH), x: x, h0: initialState, c0: nil,
                              training: isTraining)
        return (r.output, r.h)
    }
}
