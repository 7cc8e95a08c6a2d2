// Branch-free float32 transcendental functions written so loops over them vectorize (no libm calls). The bounds
// below hold for every float input, with and without fused multiply-add (checked against libm exhaustively).
//
//   tk_expf:  exp(x) = 2^n · e^r, n = round(x / ln 2), r = x - n ln 2 (Cody–Waite split), e^r by Cephes'
//             minimax polynomial on |r| <= ln2/2. Within 1 ulp of libm's expf from TK_EXPF_LO (-87.33654, whose
//             exp is the least normal float) to TK_EXPF_HI (88.72283, the largest x with a finite result);
//             below TK_EXPF_LO it flushes to 0 (no subnormal arithmetic; error < FLT_MIN), above TK_EXPF_HI it
//             is infinity; NaN stays NaN.
//   tk_tanhf: sign(x) (1 - e) / (1 + e), e = exp(-2|x|); for |x| < 0.625, where 1 - e cancels, Cephes' odd
//             polynomial x + x³·p(x²). Within 2 ulp of libm's tanhf (absolute error below 1e-7).
//   tk_erff:  |x| < 1: Cephes' odd polynomial x·p(x²), within 3 ulp of libm's erff; else Abramowitz & Stegun
//             7.1.26, 1 - t·p(t)·e^(-x²), t = 1/(1 + 0.3275911|x|): absolute error below 2e-7 (1.5e-7 in exact
//             arithmetic, the rest float rounding; the worst is near |x| = 1.01).
#ifndef TK_FAST_MATH_H
#define TK_FAST_MATH_H
#include <stdint.h>
#include <string.h>

#define TK_EXPF_LO (-0x1.5d589ep6f)  // -87.33654: the most negative float whose exp is a normal float
#define TK_EXPF_HI 0x1.62e42ep6f     // 88.72283: the largest float whose exp is finite

static inline float tk_expf(float input) {
    float x = input < TK_EXPF_LO ? TK_EXPF_LO : (input > TK_EXPF_HI ? TK_EXPF_HI : input);
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
    int32_t ni = (int32_t)n;                           // -126 ... 128 after the clamp
    int32_t high = ni > 127;                           // 2^128 is not a float: scale by 2^127 and then by 2
    int32_t bits = (ni - high + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    float y = p * scale * (high ? 2.0f : 1.0f);
    y = input < TK_EXPF_LO ? 0.0f : y;                 // below FLT_MIN (and -inf) to 0
    y = input > TK_EXPF_HI ? __builtin_inff() : y;     // overflow (and +inf) to inf
    return y;
}

static inline float tk_tanhf(float x) {
    float a = x < 0 ? -x : x;
    float z = x * x;                                   // small |x|: 1 - e would cancel
    float s = -5.70498872745e-3f;
    s = s * z + 2.06390887954e-2f;
    s = s * z - 5.37397155531e-2f;
    s = s * z + 1.33314422036e-1f;
    s = s * z - 3.33332819422e-1f;
    s = s * z * x + x;
    float e = tk_expf(-2.0f * a);
    float t = (1.0f - e) / (1.0f + e);
    t = x < 0 ? -t : t;
    return a < 0.625f ? s : t;
}

static inline float tk_erff(float x) {
    float a = x < 0 ? -x : x;
    float z = x * x;                                   // small |x|: 1 - t·p·e would cancel
    float s = 7.853861353153693e-5f;
    s = s * z - 8.010193625184903e-4f;
    s = s * z + 5.188327685732524e-3f;
    s = s * z - 2.685381193529856e-2f;
    s = s * z + 1.128358514861418e-1f;
    s = s * z - 3.761262582423300e-1f;
    s = s * z + 1.128379165726710f;
    s = s * x;
    float t = 1.0f / (1.0f + 0.3275911f * a);
    float p = 1.061405429f;
    p = p * t - 1.453152027f;
    p = p * t + 1.421413741f;
    p = p * t - 0.284496736f;
    p = p * t + 0.254829592f;
    float y = 1.0f - p * t * tk_expf(-a * a);
    y = x < 0 ? -y : y;
    return a < 1.0f ? s : y;
}

#endif
