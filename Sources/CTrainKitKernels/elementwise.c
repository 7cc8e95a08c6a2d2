// Element-wise, reduction, softmax and accumulate kernels (see tk_elementwise.h), instantiated for float
// and double from elementwise_impl.inc. Loops are written so the compiler vectorizes them; TK_VEC (tk_internal.h)
// builds AVX-512, AVX2 and baseline clones chosen at load time.
#include "tk_elementwise.h"
#include "tk_internal.h"
#include "tk_runtime.h"
#include <math.h>
#include <string.h>
#include "fast_math.h"

#define TK_MAX_DIMS 16
/* Element count above which work is split across the worker pool. */
#define TK_PARALLEL_MIN 65536

#define T float
#define S f32
#define EXP tk_expf
#define LOG logf
#define LOG1P log1pf
#define SQRT sqrtf
#define TANH tk_tanhf
#define ERF tk_erff
#define POW powf
#define SIN sinf
#define COS cosf
#include "elementwise_impl.inc"
#undef T
#undef S
#undef EXP
#undef LOG
#undef LOG1P
#undef SQRT
#undef TANH
#undef ERF
#undef POW
#undef SIN
#undef COS

#define T double
#define S f64
#define EXP exp
#define LOG log
#define LOG1P log1p
#define SQRT sqrt
#define TANH tanh
#define ERF erf
#define POW pow
#define SIN sin
#define COS cos
#include "elementwise_impl.inc"

/* ---- type-agnostic copies ---- */

void tk_copy_strided(int es, int ndim, const int64_t *shape, const void *src, const int64_t *strides, void *dst) {
    int64_t total = 1;
    for (int d = 0; d < ndim; d++) total *= shape[d];
    if (total == 0) return;
    if (ndim == 0) { memcpy(dst, src, (size_t)es); return; }
    int64_t idx[TK_MAX_DIMS] = {0};
    int64_t inner = shape[ndim - 1], is = strides[ndim - 1];
    int64_t rows = total / inner;
    const char *s = src;
    char *d = dst;
    for (int64_t r = 0; r < rows; r++) {
        int64_t off = 0;
        for (int k = 0; k < ndim - 1; k++) off += idx[k] * strides[k];
        const char *p = s + off * es;
        if (is == 1) {
            memcpy(d, p, (size_t)(inner * es));
        } else {
            switch (es) {
            case 4: for (int64_t i = 0; i < inner; i++) ((uint32_t *)d)[i] = *(const uint32_t *)(p + i * is * 4); break;
            case 8: for (int64_t i = 0; i < inner; i++) ((uint64_t *)d)[i] = *(const uint64_t *)(p + i * is * 8); break;
            case 2: for (int64_t i = 0; i < inner; i++) ((uint16_t *)d)[i] = *(const uint16_t *)(p + i * is * 2); break;
            default: for (int64_t i = 0; i < inner; i++) d[i] = p[i * is]; break;
            }
        }
        d += inner * es;
        for (int k = ndim - 2; k >= 0; k--) { if (++idx[k] < shape[k]) break; idx[k] = 0; }
    }
}

void tk_copy_to_strided(int es, int ndim, const int64_t *shape, const void *src, void *dst,
                        const int64_t *strides) {
    int64_t total = 1;
    for (int d = 0; d < ndim; d++) total *= shape[d];
    if (total == 0) return;
    if (ndim == 0) { memcpy(dst, src, (size_t)es); return; }
    int64_t idx[TK_MAX_DIMS] = {0};
    int64_t inner = shape[ndim - 1], is = strides[ndim - 1];
    int64_t rows = total / inner;
    const char *s = src;
    char *d = dst;
    for (int64_t r = 0; r < rows; r++) {
        int64_t off = 0;
        for (int k = 0; k < ndim - 1; k++) off += idx[k] * strides[k];
        char *p = d + off * es;
        if (is == 1) {
            memcpy(p, s, (size_t)(inner * es));
        } else {
            for (int64_t i = 0; i < inner; i++) memcpy(p + i * is * es, s + i * es, (size_t)es);
        }
        s += inner * es;
        for (int k = ndim - 2; k >= 0; k--) { if (++idx[k] < shape[k]) break; idx[k] = 0; }
    }
}

void tk_fill(int es, int64_t n, void *dst, const void *value) {
    switch (es) {
    case 4: { uint32_t v; memcpy(&v, value, 4); for (int64_t i = 0; i < n; i++) ((uint32_t *)dst)[i] = v; break; }
    case 8: { uint64_t v; memcpy(&v, value, 8); for (int64_t i = 0; i < n; i++) ((uint64_t *)dst)[i] = v; break; }
    case 1: memset(dst, *(const uint8_t *)value, (size_t)n); break;
    default: for (int64_t i = 0; i < n; i++) memcpy((char *)dst + i * es, value, (size_t)es); break;
    }
}

#define CONVERT_LOOP(FROM_T, TO_T) \
    for (int64_t i = 0; i < n; i++) ((TO_T *)dst)[i] = (TO_T)((const FROM_T *)src)[i];

static double load_as_double(int code, const void *src, int64_t i) {
    switch (code) {
    case 0: return ((const float *)src)[i];
    case 1: return ((const double *)src)[i];
    case 2: return ((const int32_t *)src)[i];
    case 3: return (double)((const int64_t *)src)[i];
    default: return ((const uint8_t *)src)[i] != 0;
    }
}

/* An integer or bool element, exactly (bool as 0 or 1). */
static int64_t load_as_int64(int code, const void *src, int64_t i) {
    switch (code) {
    case 2: return ((const int32_t *)src)[i];
    case 3: return ((const int64_t *)src)[i];
    default: return ((const uint8_t *)src)[i] != 0;
    }
}

void tk_convert(int from, int to, int64_t n, const void *src, void *dst) {
    static const size_t size[] = {4, 8, 4, 8, 1};
    if (from == to && from != 4) {  /* a copy (bool → bool still makes each byte 0 or 1) */
        if (n > 0) memcpy(dst, src, (size_t)n * size[from]);
        return;
    }
    if (from == 0 && to == 1) { CONVERT_LOOP(float, double); return; }
    if (from == 1 && to == 0) { CONVERT_LOOP(double, float); return; }
    if (from == 3 && to == 0) { CONVERT_LOOP(int64_t, float); return; }
    if (from == 0 && to == 3) { CONVERT_LOOP(float, int64_t); return; }
    if (from == 2 && to == 3) { CONVERT_LOOP(int32_t, int64_t); return; }
    if (from == 3 && to == 2) { CONVERT_LOOP(int64_t, int32_t); return; }
    if (from >= 2 && to >= 2) {  /* between integers and bool: exact, not through double */
        for (int64_t i = 0; i < n; i++) {
            int64_t v = load_as_int64(from, src, i);
            switch (to) {
            case 2: ((int32_t *)dst)[i] = (int32_t)v; break;
            case 3: ((int64_t *)dst)[i] = v; break;
            default: ((uint8_t *)dst)[i] = v != 0; break;
            }
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        double v = load_as_double(from, src, i);
        switch (to) {
        case 0: ((float *)dst)[i] = (float)v; break;
        case 1: ((double *)dst)[i] = v; break;
        case 2: ((int32_t *)dst)[i] = (int32_t)v; break;
        case 3: ((int64_t *)dst)[i] = (int64_t)v; break;
        default: ((uint8_t *)dst)[i] = v != 0; break;
        }
    }
}
