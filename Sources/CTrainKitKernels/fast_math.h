// Branch-free float32 transcendental functions written so loops over them vectorize (no libm calls).
//
//   tk_expf:  exp(x) = 2^n · e^r, n = round(x / ln 2), r = x - n ln 2 (Cody–Waite split), e^r by Cephes'
//             minimax polynomial on |r| <= ln2/2; 0 below -87.34, infinity above 88.72, NaN stays NaN. Max relative error
//             about 2 ulp against libm's expf.
//   tk_tanhf: sign(x) (1 - e) / (1 + e), e = exp(-2|x|): absolute error below 1e-7.
//   tk_erff:  Abramowitz & Stegun 7.1.26, 1 - t·p(t)·e^(-x²), t = 1/(1 + 0.3275911|x|): absolute error 1.5e-7.
#ifndef TK_FAST_MATH_H
#define TK_FAST_MATH_H
#include <stdint.h>
#include <string.h>

static inline float tk_expf(float input) {
    float x = input < -87.3f ? -87.3f : (input > 88.7f ? 88.7f : input);
    float n = __builtin_roundf(x * 1.44269504088896341f);
    float r = x - n * 0.693145751953125f;      // ln 2 high part (exact in float)
    r = r - n * 1.428606765330187045e-06f;     // ln 2 low part
    float p = 1.9875691500e-4f;                  // Cephes expf minimax coefficients
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t ni = (int32_t)n;
    int32_t high = ni > 127;                           // 2^128 is not a float: scale by 2^127 and then by 2
    int32_t bits = (ni - high + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    float y = p * scale * (high ? 2.0f : 1.0f);
    y = input < -87.33655f ? 0.0f : y;                 // underflow (and -inf) to 0
    y = input > 88.72283f ? __builtin_inff() : y;      // overflow (and +inf) to inf
    return y;
}

static inline float tk_tanhf(float x) {
    float a = x < 0 ? -x : x;
    float e = tk_expf(-2.0f * a);
    float t = (1.0f - e) / (1.0f + e);
    return x < 0 ? -t : t;
}

static inline float tk_erff(float x) {
    float a = x < 0 ? -x : x;
    float t = 1.0f / (1.0f + 0.3275911f * a);
    float p = 1.061405429f;
    p = p * t - 1.453152027f;
    p = p * t + 1.421413741f;
    p = p * t - 0.284496736f;
    p = p * t + 0.254829592f;
    float y = 1.0f - p * t * tk_expf(-a * a);
    return x < 0 ? -y : y;
}

#endif
