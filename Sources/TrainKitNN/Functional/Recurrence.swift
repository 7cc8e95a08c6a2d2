import TrainKitCore

/// The cell of a recurrent layer.
enum RecurrentCell {
    case tanh, relu, lstm, gru

    /// Gate blocks stacked in the weights: LSTM i, f, g, o; GRU r, z, n; plain RNN one.
    var gates: Int {
        switch self {
        case .tanh, .relu: 1
        case .lstm: 4
        case .gru: 3
        }
    }
}

/// The weights of a stacked, possibly bidirectional recurrent layer: index `layer · directions +
/// direction` (PyTorch's `weight_ih_l{layer}` and `weight_ih_l{layer}_reverse`).
struct RecurrentWeights {
    var ih: [Tensor]
    var hh: [Tensor]
    var biasIH: [Tensor]?
    var biasHH: [Tensor]?
}

/// Sizes and layout of a recurrent layer.
struct RecurrentConfig {
    var inputSize, hiddenSize, numLayers: Int
    var bidirectional, batchFirst: Bool
    var dropout: Double
    var directions: Int { bidirectional ? 2 : 1 }

    /// Parameters with PyTorch's default `U(-1/√H, 1/√H)`, one key per tensor.
    func initialWeights(cell: RecurrentCell, bias: Bool, key: RandomKey?, dtype: DType) -> [[Parameter]] {
        let count = numLayers * directions
        let keys = (key ?? Random.nextKey()).split(4 * count)
        let k = 1 / Double(hiddenSize).squareRoot()
        var out: [[Parameter]] = [[], [], [], []]
        for index in 0..<count {
            let layerInput = index < directions ? inputSize : hiddenSize * directions
            let rows = cell.gates * hiddenSize
            out[0].append(Parameter(.uniform([rows, layerInput], low: -k, high: k, key: keys[4 * index], dtype: dtype)))
            out[1].append(Parameter(.uniform([rows, hiddenSize], low: -k, high: k, key: keys[4 * index + 1], dtype: dtype)))
            if bias {
                out[2].append(Parameter(.uniform([rows], low: -k, high: k, key: keys[4 * index + 2], dtype: dtype)))
                out[3].append(Parameter(.uniform([rows], low: -k, high: k, key: keys[4 * index + 3], dtype: dtype)))
            }
        }
        return out
    }

    /// The configuration implied by weight tensors (`weightIH.count = numLayers · directions`).
    static func inferred(weightIH: [Tensor], weightHH: [Tensor], cell: RecurrentCell, bidirectional: Bool,
                         batchFirst: Bool, dropout: Double, name: StaticString) -> RecurrentConfig {
        let directions = bidirectional ? 2 : 1
        precondition(!weightIH.isEmpty && weightIH.count == weightHH.count && weightIH.count % directions == 0,
                     "\(name): needs numLayers·directions input and hidden weights, got \(weightIH.count) and \(weightHH.count)")
        let hidden = weightHH[0].shape[1]
        for (i, (wi, wh)) in zip(weightIH, weightHH).enumerated() {
            let input = i < directions ? weightIH[0].shape[1] : hidden * directions
            precondition(wi.shape == [cell.gates * hidden, input] && wh.shape == [cell.gates * hidden, hidden],
                         "\(name): weights \(i) have shapes \(wi.shape), \(wh.shape); expected [\(cell.gates * hidden), \(input)] and [\(cell.gates * hidden), \(hidden)]")
        }
        return RecurrentConfig(inputSize: weightIH[0].shape[1], hiddenSize: hidden, numLayers: weightIH.count / directions,
                               bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout)
    }
}

/// Runs a stacked, possibly bidirectional recurrence.
///
/// `x` is `[T, N, in]` (`[N, T, in]` when batch-first, `[T, in]` unbatched); `h0`/`c0` are
/// `[layers·directions, N, H]` (`[layers·directions, H]` unbatched), zeros when nil. Returns the last
/// layer's outputs `[T, N, directions·H]` (same batch layout as `x`) and the final states.
/// Each direction is the step-by-step composite (`composedDirection`), except LSTM on a backend with a
/// fused recurrence (``fusedLSTM(_:xw:h0:c0:whh:)``, unless ``FusedPath`` switches it off).
func runRecurrence(_ cell: RecurrentCell, _ config: RecurrentConfig, _ weights: RecurrentWeights, x: Tensor,
                   h0: Tensor?, c0: Tensor?, training: Bool) -> (output: Tensor, h: Tensor, c: Tensor?) {
    let batched = x.rank == 3
    var seq = batched ? (config.batchFirst ? x.transpose(0, 1) : x) : x.unsqueeze(1)  // [T, N, in]
    let (batch, hidden) = (seq.shape[1], config.hiddenSize)
    let count = config.numLayers * config.directions
    func initial(_ s: Tensor?) -> Tensor {
        guard let s else { return Tensor.zeros([count, batch, hidden], dtype: x.dtype, device: x.device) }
        return batched ? s : s.unsqueeze(1)
    }
    let h0 = initial(h0), c0 = cell == .lstm ? initial(c0) : nil
    var finalH: [Tensor] = [], finalC: [Tensor] = []
    for layer in 0..<config.numLayers {
        var outputs: [Tensor] = []
        for direction in 0..<config.directions {
            let k = layer * config.directions + direction
            let (h, c) = (h0.select(0, k), c0?.select(0, k))
            let (wih, whh, bih, bhh) = (weights.ih[k], weights.hh[k], weights.biasIH?[k], weights.biasHH?[k])
            let r = if cell == .lstm, let c, let kernels = fused(seq.backend.fusedLSTM) {
                fusedLSTMDirection(kernels, seq, h, c, wih, whh, bih, bhh, reverse: direction == 1)
            } else {
                composedDirection(cell, seq, h, c, wih, whh, bih, bhh, reverse: direction == 1, hidden)
            }
            outputs.append(r.output)
            finalH.append(r.h)
            if let c = r.c { finalC.append(c) }
        }
        seq = outputs.count == 1 ? outputs[0] : Tensor.cat(outputs, dim: 2)
        if config.dropout > 0 && training && layer < config.numLayers - 1 {
            seq = dropout(seq, p: config.dropout, training: true)
        }
    }
    var output = seq
    var h = Tensor.stack(finalH, dim: 0)
    var c = finalC.isEmpty ? nil : Tensor.stack(finalC, dim: 0)
    if !batched {
        output = output.squeeze(1)
        h = h.squeeze(1)
        c = c?.squeeze(1)
    } else if config.batchFirst {
        output = output.transpose(0, 1).contiguous()
    }
    return (output, h, c)
}

/// One LSTM direction of one layer over the sequence `[T, N, in]` through ``fusedLSTM(_:xw:h0:c0:whh:)``.
private func fusedLSTMDirection(_ kernels: any FusedLSTMKernels, _ seq: Tensor, _ h: Tensor, _ c: Tensor,
                                _ wih: Tensor, _ whh: Tensor, _ bih: Tensor?, _ bhh: Tensor?, reverse: Bool)
    -> (output: Tensor, h: Tensor, c: Tensor?)
{
    let (steps, batch) = (seq.shape[0], seq.shape[1])
    // Both biases go into the input projection: one [4H] add, not one per step.
    var bias = bih
    if let bhh { bias = bias.map { $0 + bhh } ?? bhh }
    var xw = Tensor.linear(seq.reshape([steps * batch, seq.shape[2]]), weight: wih, bias: bias)
        .reshape([steps, batch, wih.shape[0]])
    // The reverse direction runs the fused op over the steps in reverse order.
    let reversed = reverse ? Tensor(Array((0..<steps).reversed()), shape: [steps], device: seq.device) : nil
    if let reversed { xw = xw.indexSelect(0, reversed) }
    let packed = fusedLSTM(kernels, xw: xw, h0: h, c0: c, whh: whh)
    var output = packed.narrow(0, start: 0, length: steps)
    if let reversed { output = output.indexSelect(0, reversed) }
    return (output, packed.select(0, steps - 1), packed.select(0, steps))
}

/// One direction of one layer over the sequence `[T, N, in]`, step by step in Tensor ops (autograd gives
/// the backward through time): the path every backend runs, and the composition the fused LSTM must match.
private func composedDirection(_ cell: RecurrentCell, _ seq: Tensor, _ h: Tensor, _ c: Tensor?, _ wih: Tensor,
                               _ whh: Tensor, _ bih: Tensor?, _ bhh: Tensor?, reverse: Bool, _ hidden: Int)
    -> (output: Tensor, h: Tensor, c: Tensor?)
{
    let (steps, batch) = (seq.shape[0], seq.shape[1])
    // The input projections of every step at once: one GEMM.
    let xw = Tensor.linear(seq.reshape([steps * batch, seq.shape[2]]), weight: wih, bias: bih)
        .reshape([steps, batch, wih.shape[0]])
    var h = h, c = c
    var outputs = [Tensor?](repeating: nil, count: steps)
    for step in 0..<steps {
        let t = reverse ? steps - 1 - step : step
        let gx = xw.select(0, t)
        let gh = Tensor.linear(h, weight: whh, bias: bhh)
        switch cell {
        case .tanh: h = (gx + gh).tanh()
        case .relu: h = (gx + gh).relu()
        case .lstm:
            // i, f, g, o: c' = f·c + i·g, h' = o·tanh(c').
            let gates = gx + gh
            let act = gates.sigmoid()
            let i = act.narrow(1, start: 0, length: hidden), f = act.narrow(1, start: hidden, length: hidden)
            let g = gates.narrow(1, start: 2 * hidden, length: hidden).tanh()
            let o = act.narrow(1, start: 3 * hidden, length: hidden)
            let cNew = f * c! + i * g
            c = cNew
            h = o * cNew.tanh()
        case .gru:
            // r, z, n: n = tanh(Wx + r·(W_hn h + b_hn)), h' = (1 - z)·n + z·h = n + z·(h - n).
            let rz = (gx.narrow(1, start: 0, length: 2 * hidden) + gh.narrow(1, start: 0, length: 2 * hidden)).sigmoid()
            let r = rz.narrow(1, start: 0, length: hidden), z = rz.narrow(1, start: hidden, length: hidden)
            let n = (gx.narrow(1, start: 2 * hidden, length: hidden) + r * gh.narrow(1, start: 2 * hidden, length: hidden)).tanh()
            h = n + z * (h - n)
        }
        outputs[t] = h
    }
    return (Tensor.stack(outputs.map { $0! }, dim: 0), h, c)
}

extension RecurrentConfig {
    /// PyTorch's suffix for weight index `k = layer · directions + direction`: `l0`, `l1_reverse`, ...
    func suffix(_ k: Int) -> String {
        "l\(k / directions)" + (k % directions == 1 ? "_reverse" : "")
    }

    /// A recurrent layer's parameters under PyTorch's names and in PyTorch's order: layer by layer, forward
    /// direction then reverse, each `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}`.
    func entries(_ ih: [Parameter], _ hh: [Parameter], _ bih: [Parameter], _ bhh: [Parameter])
        -> [(name: String, entry: ModuleEntry)]
    {
        var out: [(name: String, entry: ModuleEntry)] = []
        for k in ih.indices {
            let s = suffix(k)
            out.append(("weight_ih_\(s)", .parameter(ih[k])))
            out.append(("weight_hh_\(s)", .parameter(hh[k])))
            if k < bih.count { out.append(("bias_ih_\(s)", .parameter(bih[k]))) }
            if k < bhh.count { out.append(("bias_hh_\(s)", .parameter(bhh[k]))) }
        }
        return out
    }

    /// The names before TrainKit took PyTorch's (`weightIH.k`, `weightHH.k`, `biasIH.k`, `biasHH.k` with
    /// `k = layer · directions + direction`), in the order they had then: every `weightIH` first.
    func legacyNames(hasBias: Bool) -> [(legacy: String, current: String)] {
        let count = numLayers * directions
        var kinds = [("weightIH", "weight_ih"), ("weightHH", "weight_hh")]
        if hasBias { kinds += [("biasIH", "bias_ih"), ("biasHH", "bias_hh")] }
        return kinds.flatMap { legacy, current in (0..<count).map { ("\(legacy).\($0)", "\(current)_\(suffix($0))") } }
    }
}
