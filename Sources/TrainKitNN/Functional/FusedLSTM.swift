import CTrainKitKernels
import TrainKitCore

/// The LSTM case of ``fusedRecurrence``: one direction of one layer as a single recorded op over the C
/// kernels of `tk_recurrence.h`, which run each block of batch rows through all steps on one worker.
///
/// Per step `z = xw[t] + h₋·W_hhᵀ`, `i, f, o = σ(z_i, z_f, z_o)`, `g = tanh(z_g)`, `c = f⊙c₋ + i⊙g`,
/// `h = o⊙tanh(c)`. Backward: the kernel returns `dz = dL/dxw` `[T, N, 4H]`, `dh0`, `dc0`; the weight
/// gradient is one GEMM over all steps, `dW_hh = Σ_t dz[t]ᵀ·h_{t-1}` = `dzᵀ [4H, T·N] · h₋ [T·N, H]`.
///
/// - Shapes: `xw` `[T, N, 4H]` (both biases added), `h0`, `c0` `[N, H]`, `whh` `[4H, H]`.
/// - Returns `[T+1, N, H]`: the hidden states, then the final cell state as row `T`.
func fusedLSTM(xw: Tensor, h0: Tensor, c0: Tensor, whh: Tensor) -> Tensor {
    let (steps, batch, hidden) = (xw.shape[0], xw.shape[1], whh.shape[1])
    let width = 4 * hidden, dtype = xw.dtype
    precondition(steps > 0 && xw.shape[2] == width && h0.shape == [batch, hidden] && c0.shape == [batch, hidden]
                 && whh.shape == [width, hidden],
                 "lstm: xw \(xw.shape), h0 \(h0.shape), c0 \(c0.shape), whh \(whh.shape) do not fit")
    precondition(dtype == .float32 || dtype == .float64, "lstm: needs float32 or float64, got \(dtype)")
    let x = xw.detach().contiguous(), w = whh.detach().to(dtype).contiguous()
    let hStart = h0.detach().to(dtype).contiguous(), cStart = c0.detach().to(dtype).contiguous()
    // The kernels write every element of their outputs.
    let y = Tensor._uninitialized([steps + 1, batch, hidden], dtype: dtype)
    // Saved for backward: gate activations σ(i), σ(f), tanh(g), σ(o); cell states; their tanh.
    let acts = Tensor._uninitialized([steps, batch, width], dtype: dtype)
    let cells = Tensor._uninitialized([steps, batch, hidden], dtype: dtype)
    let tanhC = Tensor._uninitialized([steps, batch, hidden], dtype: dtype)
    let (t64, n64, h64) = (Int64(steps), Int64(batch), Int64(hidden))
    if dtype == .float64 {
        tk_lstm_forward_f64(t64, n64, h64, x.freshPointer(Double.self), hStart.freshPointer(Double.self),
                            cStart.freshPointer(Double.self), w.freshPointer(Double.self), y.freshPointer(Double.self),
                            acts.freshPointer(Double.self), cells.freshPointer(Double.self),
                            tanhC.freshPointer(Double.self))
    } else {
        tk_lstm_forward_f32(t64, n64, h64, x.freshPointer(Float.self), hStart.freshPointer(Float.self),
                            cStart.freshPointer(Float.self), w.freshPointer(Float.self), y.freshPointer(Float.self),
                            acts.freshPointer(Float.self), cells.freshPointer(Float.self),
                            tanhC.freshPointer(Float.self))
    }

    return Tensor.record(y, op: "lstm", inputs: [xw, h0, c0, whh]) { grad, out in
        let g = grad.to(dtype).contiguous()
        let dz = Tensor._uninitialized([steps, batch, width], dtype: dtype)
        let dh0 = Tensor._uninitialized([batch, hidden], dtype: dtype)
        let dc0 = Tensor._uninitialized([batch, hidden], dtype: dtype)
        if dtype == .float64 {
            tk_lstm_backward_f64(t64, n64, h64, g.freshPointer(Double.self), cStart.freshPointer(Double.self),
                                 w.freshPointer(Double.self), acts.freshPointer(Double.self),
                                 cells.freshPointer(Double.self), tanhC.freshPointer(Double.self),
                                 dz.freshPointer(Double.self), dh0.freshPointer(Double.self),
                                 dc0.freshPointer(Double.self))
        } else {
            tk_lstm_backward_f32(t64, n64, h64, g.freshPointer(Float.self), cStart.freshPointer(Float.self),
                                 w.freshPointer(Float.self), acts.freshPointer(Float.self),
                                 cells.freshPointer(Float.self), tanhC.freshPointer(Float.self),
                                 dz.freshPointer(Float.self), dh0.freshPointer(Float.self),
                                 dc0.freshPointer(Float.self))
        }
        // h_{t-1} for every step: h0, then the outputs of steps 0..T-2.
        let previous = steps == 1 ? hStart.unsqueeze(0)
            : Tensor.cat([hStart.unsqueeze(0), out.detach().narrow(0, start: 0, length: steps - 1)], dim: 0)
        let dW = dz.reshape([steps * batch, width]).T.mm(previous.reshape([steps * batch, hidden]))
        return [dz, dh0, dc0, dW]
    }
}
