import TrainKitCore

/// One LSTM direction of one layer, forward in time, as a single recorded op over the backend's fused
/// recurrence (`Backend.fusedLSTM`; the CPU's runs each block of batch rows through all steps on one worker).
/// ``runRecurrence(_:_:_:x:h0:c0:training:)`` takes it only where the backend has the kernel; elsewhere the
/// step-by-step composite (`composedDirection`) runs, and tests compare the two.
///
/// Per step `z = xw[t] + h₋·W_hhᵀ`, `i, f, o = σ(z_i, z_f, z_o)`, `g = tanh(z_g)`, `c = f⊙c₋ + i⊙g`,
/// `h = o⊙tanh(c)`. Backward: the kernel returns `dz = dL/dxw` `[T, N, 4H]`, `dh0`, `dc0`; the weight
/// gradient is one GEMM over all steps, `dW_hh = Σ_t dz[t]ᵀ·h_{t-1}` = `dzᵀ [4H, T·N] · h₋ [T·N, H]`.
///
/// - Shapes: `xw` `[T, N, 4H]` (both biases added), `h0`, `c0` `[N, H]`, `whh` `[4H, H]`.
/// - Returns `[T+1, N, H]`: the hidden states, then the final cell state as row `T`.
func fusedLSTM(_ kernels: any FusedLSTMKernels, xw: Tensor, h0: Tensor, c0: Tensor, whh: Tensor) -> Tensor {
    let (steps, batch, hidden) = (xw.shape[0], xw.shape[1], whh.shape[1])
    let width = 4 * hidden, dtype = xw.dtype
    precondition(steps > 0 && xw.shape[2] == width && h0.shape == [batch, hidden] && c0.shape == [batch, hidden]
                 && whh.shape == [width, hidden],
                 "lstm: xw \(xw.shape), h0 \(h0.shape), c0 \(c0.shape), whh \(whh.shape) do not fit")
    for t in [h0, c0, whh] { _ = Tensor.commonBackend(xw, t, op: "lstm") }
    let x = xw.detach().contiguous(), w = whh.detach().to(dtype).contiguous()
    let hStart = h0.detach().to(dtype).contiguous(), cStart = c0.detach().to(dtype).contiguous()
    // The kernels write every element of their outputs.
    let y = x.uninitializedLike([steps + 1, batch, hidden])
    // Saved for backward: gate activations σ(i), σ(f), tanh(g), σ(o); cell states; their tanh.
    let acts = x.uninitializedLike([steps, batch, width])
    let cells = x.uninitializedLike([steps, batch, hidden])
    let tanhC = x.uninitializedLike([steps, batch, hidden])
    withExtendedLifetime(x) {
        kernels.forward(dtype, steps: steps, batch: batch, hidden: hidden, xw: x.address, h0: hStart.address,
                        c0: cStart.address, whh: w.address, y: y.address, acts: acts.address, cells: cells.address,
                        tanhCells: tanhC.address)
    }

    return Tensor.record(y, op: "lstm", inputs: [xw, h0, c0, whh]) { grad, out in
        let g = grad.to(dtype).contiguous()
        let dz = g.uninitializedLike([steps, batch, width])
        let dh0 = g.uninitializedLike([batch, hidden])
        let dc0 = g.uninitializedLike([batch, hidden])
        withExtendedLifetime(g) {
            kernels.backward(dtype, steps: steps, batch: batch, hidden: hidden, gy: g.address, c0: cStart.address,
                             whh: w.address, acts: acts.address, cells: cells.address, tanhCells: tanhC.address,
                             dz: dz.address, dh0: dh0.address, dc0: dc0.address)
        }
        // h_{t-1} for every step: h0, then the outputs of steps 0..T-2.
        let previous = steps == 1 ? hStart.unsqueeze(0)
            : Tensor.cat([hStart.unsqueeze(0), out.detach().narrow(0, start: 0, length: steps - 1)], dim: 0)
        let dW = dz.reshape([steps * batch, width]).T.mm(previous.reshape([steps * batch, hidden]))
        return [dz, dh0, dc0, dW]
    }
}
