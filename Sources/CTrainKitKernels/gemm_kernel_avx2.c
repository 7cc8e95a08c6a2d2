// AVX2+FMA sgemm microkernel: a 6x16 tile, 12 ymm accumulators (the BLIS Haswell shape).
// Shapes: Ap is [kc][6], Bp is [kc][16] (64-byte aligned), C is [6][16] with row stride ldc.
#include "tk_gemm_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TK_AVX2 __attribute__((target("avx2,fma")))

enum { MR = 6, NR = 16 };

TK_AVX2 static inline void store_row(float *c, __m256 x0, __m256 x1, __m256 va, __m256 vb, int beta_zero) {
    if (beta_zero) {
        _mm256_storeu_ps(c, _mm256_mul_ps(va, x0));
        _mm256_storeu_ps(c + 8, _mm256_mul_ps(va, x1));
    } else {
        _mm256_storeu_ps(c, _mm256_fmadd_ps(vb, _mm256_loadu_ps(c), _mm256_mul_ps(va, x0)));
        _mm256_storeu_ps(c + 8, _mm256_fmadd_ps(vb, _mm256_loadu_ps(c + 8), _mm256_mul_ps(va, x1)));
    }
}

#define TK_ROW(r)                                 \
    a0 = _mm256_broadcast_ss(a + (r));            \
    c##r##0 = _mm256_fmadd_ps(a0, b0, c##r##0);   \
    c##r##1 = _mm256_fmadd_ps(a0, b1, c##r##1);

TK_AVX2 static void sgemm_6x16_avx2(int64_t kc, const float *restrict a, const float *restrict b,
                                    float *restrict c, int64_t ldc, float alpha, float beta) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int r = 0; r < MR; r++) {
        _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + r * ldc + 15), _MM_HINT_T0);
    }
    for (int64_t k = 0; k < kc; k++) {
        __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8), a0;
        TK_ROW(0) TK_ROW(1) TK_ROW(2) TK_ROW(3) TK_ROW(4) TK_ROW(5)
        a += MR;
        b += NR;
    }
    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    int bz = beta == 0.0f;
    store_row(c, c00, c01, va, vb, bz);
    store_row(c + ldc, c10, c11, va, vb, bz);
    store_row(c + 2 * ldc, c20, c21, va, vb, bz);
    store_row(c + 3 * ldc, c30, c31, va, vb, bz);
    store_row(c + 4 * ldc, c40, c41, va, vb, bz);
    store_row(c + 5 * ldc, c50, c51, va, vb, bz);
}

static const tk_sgemm_kernel_t avx2_kernel = {
    .name = "avx2 6x16", .mr = MR, .nr = NR, .mc = 144, .kc = 256, .nc = 4096, .kernel = sgemm_6x16_avx2,
};

const tk_sgemm_kernel_t *tk_sgemm_kernel_avx2(void) { return &avx2_kernel; }
#else
const tk_sgemm_kernel_t *tk_sgemm_kernel_avx2(void) { return 0; }
#endif
