// The LSTM recurrence of one direction of one layer, forward and backward through time, for float32 (f32) and
// float64 (f64). Row-major, contiguous buffers; H is the hidden size, G = 4H the stacked gates i, f, g, o.
//
// Batch rows are independent, so each worker takes a block of rows and runs every time step on it: one
// dispatch per call instead of one (or two) per step. Results do not depend on the thread count.
#ifndef TK_RECURRENCE_H
#define TK_RECURRENCE_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Forward over T steps, t = 0..T-1, from h₋₁ = h0, c₋₁ = c0:
///   z = xw[t] + h₋ · whhᵀ;   i, f, o = σ(z_i, z_f, z_o), g = tanh(z_g)
///   c = f ⊙ c₋ + i ⊙ g;      h = o ⊙ tanh(c)
/// Shapes: xw [T, N, G] (input projections, biases included), h0, c0 [N, H], whh [G, H].
/// Writes y [T+1, N, H] (rows 0..T-1 the hidden states h_t, row T the final cell state), and for the backward
/// acts [T, N, G] (σ(i), σ(f), tanh(g), σ(o)), cells [T, N, H] (c_t) and tanh_c [T, N, H] (tanh c_t).
void tk_lstm_forward_f32(int64_t T, int64_t N, int64_t H, const float *xw, const float *h0, const float *c0,
                         const float *whh, float *y, float *acts, float *cells, float *tanh_c);
void tk_lstm_forward_f64(int64_t T, int64_t N, int64_t H, const double *xw, const double *h0, const double *c0,
                         const double *whh, double *y, double *acts, double *cells, double *tanh_c);

/// Backward through time for tk_lstm_forward_*: gy [T+1, N, H] is dL/dy (row T: dL/d(final c)); c0, whh as
/// given to the forward, acts, cells, tanh_c as it wrote them. With dh_t = gy[t] + dz[t+1] · whh and dc carried back:
///   dc   = dc₊ ⊙ f₊ + dh ⊙ o ⊙ (1 - tanh²c)
///   dz_i = dc ⊙ g ⊙ i(1-i),  dz_f = dc ⊙ c₋ ⊙ f(1-f),  dz_g = dc ⊙ i ⊙ (1-g²),  dz_o = dh ⊙ tanh c ⊙ o(1-o)
/// Writes dz [T, N, G] (dL/dxw; dL/dwhh = Σ_t dz[t]ᵀ · h_{t-1} is one GEMM the caller does),
/// dh0 = dz[0] · whh and dc0 [N, H].
void tk_lstm_backward_f32(int64_t T, int64_t N, int64_t H, const float *gy, const float *c0, const float *whh,
                          const float *acts, const float *cells, const float *tanh_c, float *dz, float *dh0,
                          float *dc0);
void tk_lstm_backward_f64(int64_t T, int64_t N, int64_t H, const double *gy, const double *c0,
                          const double *whh, const double *acts, const double *cells, const double *tanh_c,
                          double *dz, double *dh0, double *dc0);

#ifdef __cplusplus
}
#endif
#endif
