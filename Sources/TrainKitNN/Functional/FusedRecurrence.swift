import TrainKitCore

/// One direction of one recurrent layer, forward in time, as a single recorded op with a hand-written
/// backward (BPTT). Per step one GEMM (`h · W_hhᵀ`) plus one fused pass over the gates; backward one
/// GEMM per step for `dh` and one GEMM in all for `dW_hh`. LSTM runs in C (``fusedLSTM(xw:h0:c0:whh:)``);
/// the plain RNN and GRU in the Swift loops below. The composite in Recurrence.swift
/// (`referenceDirection`) is the readable reference; tests compare both.
///
/// - `xw`: `[T, N, G·H]` input projections (LSTM, RNN: both biases added; GRU: `b_ih` only).
/// - `h0`, `c0` (LSTM only): `[N, H]`; `whh`: `[G·H, H]`; `bhh`: `[G·H]` (GRU only, since its reset gate
///   multiplies `W_hn h + b_hn`).
/// - Returns `[T, N, H]` hidden states; LSTM appends the final cell state as row `T` (`[T+1, N, H]`).
/// - `c0`: LSTM only.
func fusedRecurrence(_ cell: RecurrentCell, xw: Tensor, h0: Tensor, c0: Tensor?, whh: Tensor, bhh: Tensor?) -> Tensor {
    let (steps, batch) = (xw.shape[0], xw.shape[1])
    let hidden = whh.shape[1], width = cell.gates * hidden
    precondition(steps > 0 && xw.shape[2] == width && h0.shape == [batch, hidden],
                 "recurrence: xw \(xw.shape), h0 \(h0.shape), whh \(whh.shape) do not fit")
    if cell == .lstm { return fusedLSTM(xw: xw, h0: h0, c0: c0!, whh: whh) }
    let dtype = xw.dtype
    let w = whh.detach(), b = bhh?.detach()
    let y = Tensor.zeros([steps, batch, hidden], dtype: dtype)
    // Saved for backward: GRU's gate activations r, z, n and `W_hn h + b_hn`.
    let acts = Tensor.zeros([cell == .gru ? steps : 0, batch, width], dtype: dtype)
    let extra = Tensor.zeros([cell == .gru ? steps : 0, batch, hidden], dtype: dtype)
    let x = xw.detach().contiguous()
    let hStart = h0.detach().contiguous()

    func forward<T: NNFloat>(_: T.Type) {
        let xp = x.freshPointer(T.self), yp = y.freshPointer(T.self)
        let ap = acts.freshPointer(T.self), ep = extra.freshPointer(T.self)
        let h0p = hStart.freshPointer(T.self)
        let plane = batch * hidden
        var h = hStart
        for t in 0..<steps {
            var g = h.mm(w.T)
            if let b { g = g + b }
            g = g.contiguous()
            let gp = g.freshPointer(T.self)
            let xt = xp + t * batch * width, ht = yp + t * plane
            let hPrev = t == 0 ? h0p : yp + (t - 1) * plane
            for n in 0..<batch {
                let xr = xt + n * width, gr = gp + n * width
                switch cell {
                case .tanh, .relu:
                    for j in 0..<hidden {
                        let a = xr[j] + gr[j]
                        ht[n * hidden + j] = cell == .tanh ? T.hyperbolicTangent(a) : Swift.max(a, 0)
                    }
                case .lstm:
                    preconditionFailure("LSTM runs in fusedLSTM")
                case .gru:
                    let ar = ap + (t * batch + n) * width
                    let ghn = ep + t * plane + n * hidden
                    let hp = hPrev + n * hidden, hr = ht + n * hidden
                    for j in 0..<(2 * hidden) { ar[j] = T.logistic(xr[j] + gr[j]) }
                    for j in 0..<hidden {
                        ghn[j] = gr[2 * hidden + j]
                        let nn = T.hyperbolicTangent(xr[2 * hidden + j] + ar[j] * gr[2 * hidden + j])
                        ar[2 * hidden + j] = nn
                        hr[j] = nn + ar[hidden + j] * (hp[j] - nn)
                    }
                }
            }
            h = y.narrow(0, start: t, length: 1).reshape([batch, hidden])
        }
    }
    noGrad { if dtype == .float64 { forward(Double.self) } else { forward(Float.self) } }

    var inputs = [xw, h0, whh]
    if cell == .gru, let bhh { inputs.append(bhh) }
    return Tensor.record(y, op: "recurrence", inputs: inputs) { grad, out in
        let go = grad.contiguous()
        let dx = Tensor.zeros([steps, batch, width], dtype: dtype)
        let dgh = cell == .gru ? Tensor.zeros([steps, batch, width], dtype: dtype) : dx
        let dh0 = Tensor.zeros([batch, hidden], dtype: dtype)

        func backward<T: NNFloat>(_: T.Type) {
            let gp = go.freshPointer(T.self), yp = out.freshPointer(T.self)
            let ap = acts.freshPointer(T.self), ep = extra.freshPointer(T.self)
            let h0p = hStart.freshPointer(T.self)
            let dxp = dx.freshPointer(T.self), dghp = dgh.freshPointer(T.self)
            let plane = batch * hidden
            var dhNext = [T](repeating: 0, count: plane)  // dL/dh_t flowing back from step t+1
            var direct = [T](repeating: 0, count: plane)  // GRU: z ⊙ dh, the path around the gates
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let hPrev = t == 0 ? h0p : yp + (t - 1) * plane
                for n in 0..<batch {
                    let dxr = dxp + (t * batch + n) * width, dgr = dghp + (t * batch + n) * width
                    for j in 0..<hidden {
                        let k = n * hidden + j
                        let dh = gp[t * plane + k] + dhNext[k]
                        switch cell {
                        case .tanh:
                            let h = yp[t * plane + k]
                            dxr[j] = dh * (1 - h * h)
                        case .relu:
                            dxr[j] = yp[t * plane + k] > 0 ? dh : 0
                        case .lstm:
                            preconditionFailure("LSTM runs in fusedLSTM")
                        case .gru:
                            let ar = ap + (t * batch + n) * width
                            let (r, z, nn) = (ar[j], ar[hidden + j], ar[2 * hidden + j])
                            let dan = dh * (1 - z) * (1 - nn * nn)
                            let dar = dan * ep[t * plane + k] * r * (1 - r)
                            let daz = dh * (hPrev[k] - nn) * z * (1 - z)
                            (dxr[j], dxr[hidden + j], dxr[2 * hidden + j]) = (dar, daz, dan)
                            (dgr[j], dgr[hidden + j], dgr[2 * hidden + j]) = (dar, daz, dan * r)
                            direct[k] = dh * z
                        }
                    }
                }
                let back = dgh.narrow(0, start: t, length: 1).reshape([batch, width]).mm(w).contiguous()
                let bp = back.freshPointer(T.self)
                for k in 0..<plane { dhNext[k] = bp[k] + (cell == .gru ? direct[k] : 0) }
            }
            dh0.freshPointer(T.self).update(from: dhNext, count: plane)
        }
        if dtype == .float64 { backward(Double.self) } else { backward(Float.self) }

        let previous = steps == 1 ? hStart.unsqueeze(0)
            : Tensor.cat([hStart.unsqueeze(0), out.narrow(0, start: 0, length: steps - 1)], dim: 0)
        let dW = dgh.reshape([steps * batch, width]).T.mm(previous.reshape([steps * batch, hidden]))
        var grads: [Tensor?] = [dx, dh0, dW]
        if cell == .gru && bhh != nil { grads.append(dgh.sum([0, 1])) }
        return grads
    }
}
