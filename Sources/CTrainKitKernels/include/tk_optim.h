// Fused optimizer steps over contiguous float32 host memory (optim.c).
#ifndef TK_OPTIM_H
#define TK_OPTIM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The float32 scalars of one Adam/AdamW step (PyTorch's `_single_tensor_adam` order), as TrainKitOptim's
/// `AdamMoments.Kernel` computes them: `shrink` = 1 − γλ (decoupled decay), `wd` = λ (coupled), `w1` = 1 − β1
/// with `small_lerp` = |w1| < 0.5, `b2` = β2, `w2` = 1 − β2, `neg_step` = −γ/(1 − β1ᵗ), `c2` = sqrt(1 − β2ᵗ),
/// `eps` = ε.
typedef struct {
    int decoupled, coupled, small_lerp;
    float shrink, wd, w1, b2, w2, neg_step, c2, eps;
} tk_adam_scalars_t;

/// One Adam step over elements [0, n) with AVX-512, each element exactly as the scalar float32 operations
/// (no fused multiply-add): θ′ = θ (·shrink), g′ = g (+ wd·θ′), m ← lerp(m, g′, w1), v ← v·b2 + (w2·g′)·g′,
/// v̂ = max(vmax, v) kept in `vmax` (AMSGrad, when not NULL; NaN wins) else v, and
/// out = θ′ + (neg_step·m) / (sqrt(v̂)/c2 + eps). `out` may be `p`. Returns 0 (and does nothing) when the
/// selected SIMD level is below AVX-512: the caller then runs its own loop.
int tk_adam_step_f32(int64_t n, const float *p, const float *g, float *out, float *m, float *v, float *vmax,
                     const tk_adam_scalars_t *s);

/// Σ x² over n float32 values, each squared and summed in float64 (the sum of `x.to(.float64).square()`; the
/// order of the additions is the kernel's own).
double tk_sum_squares_f32(int64_t n, const float *x);

#ifdef __cplusplus
}
#endif
#endif
