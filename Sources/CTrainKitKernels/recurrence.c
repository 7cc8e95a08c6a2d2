// LSTM recurrence kernels (tk_recurrence.h), instantiated for float and double from recurrence_impl.inc.
//
// The per-step product [rows, K] · op(W) [K, N] (forward h · whhᵀ, K = H, N = 4H; backward dz · whh,
// K = 4H, N = H) runs on the calling worker only. float32: W is packed once per call into the sgemm
// microkernel's nr-column panels [K][nr] (shared read-only by the workers); each step packs its few rows of
// the left operand and calls the microkernel tile by tile, writing or accumulating into C. float64: W is
// copied to a contiguous [K, N] and the product is a plain loop vectorized over N.
#include "tk_recurrence.h"
#include "tk_gemm_kernels.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <math.h>
#include <string.h>
#include "fast_math.h"

/// Rows per worker at least: fewer would leave most of a microkernel tile empty.
#define TK_RECURRENCE_GRAIN 8

/// op(W) [K, N] ready for the per-step products. `data` holds the panels (float32) or the [K, N] copy
/// (float64).
typedef struct {
    int64_t K, N;
    int64_t panels, panel_stride;  // float32: number of nr-column panels and floats per panel
    const tk_sgemm_kernel_t *kern; // float32 only
    void *data;
} weight_operand_t;

// MARK: - float32 products

static const tk_sgemm_kernel_t *step_kernel(void) {
    const tk_sgemm_kernel_t *kern = NULL;
    switch (tk_simd_level_id()) {
    case TK_SIMD_AVX512: kern = tk_sgemm_kernel_avx512(); break;
    case TK_SIMD_AVX2: kern = tk_sgemm_kernel_avx2(); break;
    default: break;
    }
    return kern ? kern : tk_sgemm_kernel_generic();
}

/// Packs op(W) [K, N]: W[j·ldw + k] when `trans`, else W[k·ldw + j].
static void operand_f32(weight_operand_t *w, const float *src, int64_t K, int64_t N, int64_t ldw, int trans) {
    const tk_sgemm_kernel_t *kern = step_kernel();
    int nr = kern->nr;
    w->K = K;
    w->N = N;
    w->kern = kern;
    w->panels = (N + nr - 1) / nr;
    w->panel_stride = (K * nr + 15) / 16 * 16;  // keeps every panel 64-byte aligned
    float *data = tk_aligned_alloc(sizeof(float) * (size_t)(w->panels * w->panel_stride));
    for (int64_t p = 0; p < w->panels; p++) {
        int64_t j0 = p * nr, n = N - j0 < nr ? N - j0 : nr;
        float *dst = data + p * w->panel_stride;
        if (trans)
            tk_pack_interleave(src + j0 * ldw, ldw, n, K, nr, dst);
        else
            tk_pack_copy(src + j0, ldw, n, K, nr, dst);
    }
    w->data = data;
}

/// Floats of scratch `product_f32` needs for M rows: the packed rows plus one edge tile.
static int64_t scratch_f32(const weight_operand_t *w, int64_t M) {
    int mr = w->kern->mr;
    return (M + mr - 1) / mr * mr * w->K + (int64_t)mr * w->kern->nr;
}

/// C[M, N] = A[M, K] · op(W) (+ C when `accumulate`), on this thread. Full tiles go straight to C; edge
/// tiles through `scratch`.
static void product_f32(const weight_operand_t *w, int64_t M, const float *A, int64_t lda, float *C, int64_t ldc,
                        int accumulate, float *scratch) {
    const float beta = accumulate ? 1.0f : 0.0f;
    const int mr = w->kern->mr, nr = w->kern->nr;
    const int64_t K = w->K, row_panels = (M + mr - 1) / mr;
    float *ap = scratch, *tile = scratch + row_panels * mr * K;
    for (int64_t p = 0; p < row_panels; p++) {
        int64_t m = M - p * mr < mr ? M - p * mr : mr;
        tk_pack_interleave(A + p * mr * lda, lda, m, K, mr, ap + p * mr * K);
    }
    for (int64_t q = 0; q < w->panels; q++) {  // one B panel stays in L1 while the row panels pass
        const float *bp = (const float *)w->data + q * w->panel_stride;
        int64_t j0 = q * nr, n = w->N - j0 < nr ? w->N - j0 : nr;
        for (int64_t p = 0; p < row_panels; p++) {
            int64_t m = M - p * mr < mr ? M - p * mr : mr;
            float *c = C + p * mr * ldc + j0;
            if (m == mr && n == nr) {
                w->kern->kernel(K, ap + p * mr * K, bp, c, ldc, 1.0f, beta);
                continue;
            }
            w->kern->kernel(K, ap + p * mr * K, bp, tile, nr, 1.0f, 0.0f);
            for (int64_t r = 0; r < m; r++)
                for (int64_t j = 0; j < n; j++) c[r * ldc + j] = tile[r * nr + j] + (accumulate ? c[r * ldc + j] : 0.0f);
        }
    }
}

// MARK: - float64 products

static void operand_f64(weight_operand_t *w, const double *src, int64_t K, int64_t N, int64_t ldw, int trans) {
    double *data = tk_aligned_alloc(sizeof(double) * (size_t)(K * N));
    for (int64_t k = 0; k < K; k++)
        for (int64_t j = 0; j < N; j++) data[k * N + j] = trans ? src[j * ldw + k] : src[k * ldw + j];
    *w = (weight_operand_t){K, N, 0, 0, NULL, data};
}

static int64_t scratch_f64(const weight_operand_t *w, int64_t M) { (void)w; (void)M; return 0; }

TK_VEC static void product_f64(const weight_operand_t *w, int64_t M, const double *A, int64_t lda, double *C,
                               int64_t ldc, int accumulate, double *scratch) {
    (void)scratch;
    const double *B = w->data;
    for (int64_t i = 0; i < M; i++) {
        double *restrict c = C + i * ldc;
        if (!accumulate) memset(c, 0, sizeof(double) * (size_t)w->N);
        for (int64_t k = 0; k < w->K; k++) {
            double a = A[i * lda + k];
            const double *restrict b = B + k * w->N;
            for (int64_t j = 0; j < w->N; j++) c[j] += a * b[j];
        }
    }
}

// MARK: - Instances

#define T float
#define S f32
#define EXP tk_expf
#define TANH tk_tanhf
#include "recurrence_impl.inc"
#undef T
#undef S
#undef EXP
#undef TANH

#define T double
#define S f64
#define EXP exp
#define TANH tanh
#include "recurrence_impl.inc"
