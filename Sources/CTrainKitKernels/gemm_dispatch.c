// GEMM entry points: tk_sgemm picks the BLAS or the built-in kernel; tk_sgemm_blas and tk_dgemm wrap the
// dlopen'ed CBLAS (row-major). Shapes as in tk_gemm.h: op(A) [M, K], op(B) [K, N], C [M, N].
//
// Dispatch rule: every sgemm goes to the BLAS when one is loaded, except products of at most TK_SMALL_M rows
// on more than one thread (see tk_sgemm). Measured call by call on the 2-core Zen 4 dev machine against
// OpenBLAS 0.3.21 (Cooperlake kernels, 2 threads), OpenBLAS was ahead of the built-in kernel at the small end
// (8^3: 0.08 vs 0.34 us; 32^3: 0.7 vs 1.4 us; 1x256x784: 7.5 vs 8 us) and within ~10% either way from 128^3
// up; in a whole batch-1 forward pass the built-in kernel's column split wins (tk_sgemm).
// TRAINKIT_BLAS=none forces the built-in kernel.
#include "tk_gemm.h"
#include "tk_gemm_kernels.h"
#include "tk_blas.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <limits.h>
#include <string.h>

static int64_t max1(int64_t x) { return x < 1 ? 1 : x; }

/// Whether the strides satisfy the CBLAS row-major rules (BLAS libraries reject the call otherwise).
static int blas_strides_ok(int transA, int transB, int64_t M, int64_t N, int64_t K, int64_t lda, int64_t ldb,
                           int64_t ldc) {
    return lda >= max1(transA ? M : K) && ldb >= max1(transB ? K : N) && ldc >= max1(N);
}

static int fits_int(int64_t M, int64_t N, int64_t K, int64_t lda, int64_t ldb, int64_t ldc) {
    return M <= INT_MAX && N <= INT_MAX && K <= INT_MAX && lda <= INT_MAX && ldb <= INT_MAX && ldc <= INT_MAX;
}

int tk_sgemm_blas(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                  int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    const tk_blas_t *blas = tk_blas_current();
    if (blas->sgemm == NULL && blas->sgemm64 == NULL) return 0;
    if (M <= 0 || N <= 0) return 1;
    if (K <= 0 || alpha == 0.0f) {  // BLAS libraries differ on whether they read C here
        tk_scale_matrix(M, N, beta, C, ldc);
        return 1;
    }
    if (!blas_strides_ok(transA, transB, M, N, K, lda, ldb, ldc)) return 0;
    int ta = transA ? TK_CBLAS_TRANS : TK_CBLAS_NO_TRANS, tb = transB ? TK_CBLAS_TRANS : TK_CBLAS_NO_TRANS;
    tk_pool_park();
    if (blas->sgemm64 != NULL) {
        blas->sgemm64(TK_CBLAS_ROW_MAJOR, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return 1;
    }
    if (!fits_int(M, N, K, lda, ldb, ldc)) return 0;
    blas->sgemm(TK_CBLAS_ROW_MAJOR, ta, tb, (int)M, (int)N, (int)K, alpha, A, (int)lda, B, (int)ldb, beta, C,
                (int)ldc);
    return 1;
}

void tk_sgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha, const float *A, int64_t lda,
              const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    // A few rows (batch-1 inference): OpenBLAS runs these on one thread, the built-in small-row kernel splits
    // the columns across the pool, so each core streams half of B. W8 batch 1 (784-256-128-10 MLP), 2 threads:
    // 70k calls/s through OpenBLAS, 78k through the built-in kernel; on one thread the two are within 4%.
    if (M <= TK_SMALL_M && tk_get_num_threads() > 1) {
        tk_sgemm_builtin(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (tk_sgemm_blas(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)) return;
    tk_sgemm_builtin(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// MARK: - Float64

typedef struct {
    int transA, transB;
    int64_t N, K;
    double alpha;
    const double *A;
    int64_t lda;
    const double *B;
    int64_t ldb;
    double beta;
    double *C;
    int64_t ldc;
} dgemm_job_t;

/// Rows [begin, end) of C: scale by beta, then accumulate in K blocks (i-k-j order for a row-contiguous op(B),
/// dot products for a transposed one).
static void dgemm_rows(void *ctx, int64_t begin, int64_t end) {
    const dgemm_job_t *j = ctx;
    enum { KB = 128 };
    for (int64_t i = begin; i < end; i++) {
        double *c = j->C + i * j->ldc;
        for (int64_t n = 0; n < j->N; n++) c[n] = j->beta == 0.0 ? 0.0 : j->beta * c[n];
        for (int64_t p0 = 0; p0 < j->K; p0 += KB) {
            int64_t p1 = p0 + KB < j->K ? p0 + KB : j->K;
            if (!j->transB) {
                for (int64_t p = p0; p < p1; p++) {
                    double a = j->alpha * (j->transA ? j->A[p * j->lda + i] : j->A[i * j->lda + p]);
                    const double *b = j->B + p * j->ldb;
                    for (int64_t n = 0; n < j->N; n++) c[n] += a * b[n];
                }
            } else {
                for (int64_t n = 0; n < j->N; n++) {
                    const double *b = j->B + n * j->ldb;
                    double sum = 0.0;
                    for (int64_t p = p0; p < p1; p++)
                        sum += (j->transA ? j->A[p * j->lda + i] : j->A[i * j->lda + p]) * b[p];
                    c[n] += j->alpha * sum;
                }
            }
        }
    }
}

void tk_dgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, double alpha, const double *A,
              int64_t lda, const double *B, int64_t ldb, double beta, double *C, int64_t ldc) {
    if (M <= 0 || N <= 0) return;
    const tk_blas_t *blas = tk_blas_current();
    if (K > 0 && alpha != 0.0 && blas_strides_ok(transA, transB, M, N, K, lda, ldb, ldc)) {
        int ta = transA ? TK_CBLAS_TRANS : TK_CBLAS_NO_TRANS, tb = transB ? TK_CBLAS_TRANS : TK_CBLAS_NO_TRANS;
        tk_pool_park();
        if (blas->dgemm64 != NULL) {
            blas->dgemm64(TK_CBLAS_ROW_MAJOR, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
            return;
        }
        if (blas->dgemm != NULL && fits_int(M, N, K, lda, ldb, ldc)) {
            blas->dgemm(TK_CBLAS_ROW_MAJOR, ta, tb, (int)M, (int)N, (int)K, alpha, A, (int)lda, B, (int)ldb,
                        beta, C, (int)ldc);
            return;
        }
    }
    dgemm_job_t job = {transA != 0, transB != 0, N, K > 0 ? K : 0, alpha, A, lda, B, ldb, beta, C, ldc};
    if (alpha == 0.0) job.K = 0;
    int64_t work_per_row = N * (job.K + 1);
    tk_parallel_for(M, work_per_row > 0 ? (1 << 16) / work_per_row + 1 : M, dgemm_rows, &job);
}
