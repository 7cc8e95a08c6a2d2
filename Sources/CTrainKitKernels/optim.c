// Fused optimizer loops (tk_optim.h). The Adam step is the AVX-512 twin of TrainKitOptim's Float4 loop
// (AdamStep.swift): the same float32 operations in the same order, one lane per element, so its results are
// bit-identical to that loop and to the composed tensor form (FusedComposedTests); it runs 16 lanes per
// instruction where the Swift loop runs 4 (DQN's 256x256 Q-network: 66k elements per step).
#include "tk_optim.h"
#include "tk_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TK_AVX512 __attribute__((target("avx512f")))

TK_AVX512 static inline __m512 adam_lane(const tk_adam_scalars_t *s, __m512 p, __m512 g, float *m, float *v,
                                         float *vmax, int64_t i, __mmask16 k) {
    if (s->decoupled) p = _mm512_mul_ps(p, _mm512_set1_ps(s->shrink));
    if (s->coupled) g = _mm512_add_ps(g, _mm512_mul_ps(_mm512_set1_ps(s->wd), p));
    __m512 mi = _mm512_maskz_loadu_ps(k, m + i);
    __m512 w1 = _mm512_set1_ps(s->w1);
    if (s->small_lerp) {
        mi = _mm512_add_ps(mi, _mm512_mul_ps(w1, _mm512_sub_ps(g, mi)));
    } else {
        __m512 rest = _mm512_set1_ps(1.0f - s->w1);
        mi = _mm512_sub_ps(g, _mm512_mul_ps(_mm512_sub_ps(g, mi), rest));
    }
    __m512 vi = _mm512_mul_ps(_mm512_maskz_loadu_ps(k, v + i), _mm512_set1_ps(s->b2));
    vi = _mm512_add_ps(vi, _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(s->w2), g), g));
    _mm512_mask_storeu_ps(m + i, k, mi);
    _mm512_mask_storeu_ps(v + i, k, vi);
    __m512 second = vi;
    if (vmax) {
        __m512 old = _mm512_maskz_loadu_ps(k, vmax + i);
        __mmask16 take_old = _mm512_cmp_ps_mask(old, vi, _CMP_GT_OQ) | _mm512_cmp_ps_mask(old, old, _CMP_UNORD_Q);
        second = _mm512_mask_blend_ps(take_old, vi, old);
        _mm512_mask_storeu_ps(vmax + i, k, second);
    }
    __m512 denom = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(second), _mm512_set1_ps(s->c2)),
                                 _mm512_set1_ps(s->eps));
    return _mm512_add_ps(p, _mm512_div_ps(_mm512_mul_ps(_mm512_set1_ps(s->neg_step), mi), denom));
}

TK_AVX512 static void adam_avx512(int64_t n, const float *p, const float *g, float *out, float *m, float *v,
                                  float *vmax, const tk_adam_scalars_t *s) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 r = adam_lane(s, _mm512_loadu_ps(p + i), _mm512_loadu_ps(g + i), m, v, vmax, i, 0xFFFF);
        _mm512_storeu_ps(out + i, r);
    }
    if (i < n) {
        __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        __m512 r = adam_lane(s, _mm512_maskz_loadu_ps(k, p + i), _mm512_maskz_loadu_ps(k, g + i), m, v, vmax, i, k);
        _mm512_mask_storeu_ps(out + i, k, r);
    }
}

TK_AVX512 static double sum_squares_avx512(int64_t n, const float *x) {
    __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512d x0 = _mm512_cvtps_pd(_mm256_loadu_ps(x + i)), x1 = _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 8));
        __m512d x2 = _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 16)), x3 = _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 24));
        a0 = _mm512_add_pd(a0, _mm512_mul_pd(x0, x0));
        a1 = _mm512_add_pd(a1, _mm512_mul_pd(x1, x1));
        a2 = _mm512_add_pd(a2, _mm512_mul_pd(x2, x2));
        a3 = _mm512_add_pd(a3, _mm512_mul_pd(x3, x3));
    }
    double sum = _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3)));
    for (; i < n; i++) sum += (double)x[i] * (double)x[i];
    return sum;
}
#endif

int tk_adam_step_f32(int64_t n, const float *p, const float *g, float *out, float *m, float *v, float *vmax,
                     const tk_adam_scalars_t *s) {
#if defined(__x86_64__)
    if (tk_simd_level_id() >= TK_SIMD_AVX512) {
        if (n > 0) adam_avx512(n, p, g, out, m, v, vmax, s);
        return 1;
    }
#endif
    (void)n; (void)p; (void)g; (void)out; (void)m; (void)v; (void)vmax; (void)s;
    return 0;
}

double tk_sum_squares_f32(int64_t n, const float *x) {
#if defined(__x86_64__)
    if (tk_simd_level_id() >= TK_SIMD_AVX512) return sum_squares_avx512(n, x);
#endif
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) sum += (double)x[i] * (double)x[i];
    return sum;
}
