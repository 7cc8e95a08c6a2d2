// AVX-512F sgemm microkernel: an 8x32 tile, 16 zmm accumulators (2 per row).
// Shapes: Ap is [kc][8], Bp is [kc][32] (64-byte aligned), C is [8][32] with row stride ldc.
//
// Why 8 rows: measured on the Zen 4 dev machine against a 12x32 tile (24 accumulators) with the same blocking,
// the 8-row tile was as fast or faster on every benchmark product (1 thread: n = 1024 20.0 vs 20.4 ms,
// 512x128x2048 TN 2.59 vs 2.86 ms) and wastes no rows on the common 16-, 32- and 128-row products (a 12-row
// tile pads 16 rows to 24: W2's 16x256x784 forward took 113 us with it, 88 us with this one).
#include "tk_gemm_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define TK_AVX512 __attribute__((target("avx512f")))

enum { MR = 8, NR = 32 };

TK_AVX512 static inline void store_row(float *c, __m512 x0, __m512 x1, __m512 va, __m512 vb, int beta_zero) {
    if (beta_zero) {
        _mm512_storeu_ps(c, _mm512_mul_ps(va, x0));
        _mm512_storeu_ps(c + 16, _mm512_mul_ps(va, x1));
    } else {
        _mm512_storeu_ps(c, _mm512_fmadd_ps(vb, _mm512_loadu_ps(c), _mm512_mul_ps(va, x0)));
        _mm512_storeu_ps(c + 16, _mm512_fmadd_ps(vb, _mm512_loadu_ps(c + 16), _mm512_mul_ps(va, x1)));
    }
}

#define TK_ROW(r)                                 \
    a0 = _mm512_set1_ps(a[(r) * rs]);             \
    c##r##0 = _mm512_fmadd_ps(a0, b0, c##r##0);   \
    c##r##1 = _mm512_fmadd_ps(a0, b1, c##r##1);

/// The tile over `kc` steps: A's row r of step k at a[r*rs + k*ks], B rows `ldb` floats apart (packed: rs = 1,
/// ks = MR, ldb = NR).
TK_AVX512 __attribute__((always_inline)) static inline void tile_8x32(int64_t kc, const float *restrict a,
                                                                      int64_t rs, int64_t ks,
                                                                      const float *restrict b, int64_t ldb,
                                                                      float *restrict c, int64_t ldc, float alpha,
                                                                      float beta) {
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m512 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    __m512 c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    for (int r = 0; r < MR; r++) {
        _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + r * ldc + 31), _MM_HINT_T0);
    }
    for (int64_t k = 0; k < kc; k++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16), a0;
        TK_ROW(0) TK_ROW(1) TK_ROW(2) TK_ROW(3) TK_ROW(4) TK_ROW(5) TK_ROW(6) TK_ROW(7)
        a += ks;
        b += ldb;
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    int bz = beta == 0.0f;
    store_row(c, c00, c01, va, vb, bz);
    store_row(c + ldc, c10, c11, va, vb, bz);
    store_row(c + 2 * ldc, c20, c21, va, vb, bz);
    store_row(c + 3 * ldc, c30, c31, va, vb, bz);
    store_row(c + 4 * ldc, c40, c41, va, vb, bz);
    store_row(c + 5 * ldc, c50, c51, va, vb, bz);
    store_row(c + 6 * ldc, c60, c61, va, vb, bz);
    store_row(c + 7 * ldc, c70, c71, va, vb, bz);
}

TK_AVX512 static void sgemm_8x32_avx512(int64_t kc, const float *restrict a, const float *restrict b,
                                        float *restrict c, int64_t ldc, float alpha, float beta) {
    tile_8x32(kc, a, 1, MR, b, NR, c, ldc, alpha, beta);
}

TK_AVX512 static void sgemm_8x32_strided_avx512(int64_t kc, const float *restrict a, int64_t rs, int64_t ks,
                                                const float *restrict b, int64_t ldb, float *restrict c,
                                                int64_t ldc, float alpha, float beta) {
    tile_8x32(kc, a, rs, ks, b, ldb, c, ldc, alpha, beta);
}

static const tk_sgemm_kernel_t avx512_kernel = {
    .name = "avx512 8x32", .mr = MR, .nr = NR, .mc = 192, .kc = 256, .nc = 4096, .kernel = sgemm_8x32_avx512,
    .kernel_strided = sgemm_8x32_strided_avx512,
};

const tk_sgemm_kernel_t *tk_sgemm_kernel_avx512(void) { return &avx512_kernel; }
#else
const tk_sgemm_kernel_t *tk_sgemm_kernel_avx512(void) { return 0; }
#endif
