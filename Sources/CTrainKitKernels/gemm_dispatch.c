// GEMM entry points: tk_sgemm picks the built-in kernel or the BLAS; tk_sgemm_blas and tk_dgemm wrap the
// dlopen'ed CBLAS (row-major). Shapes as in tk_gemm.h: op(A) [M, K], op(B) [K, N], C [M, N].
//
// Dispatch rule: float32 products run on the built-in packed kernel (gemm_builtin.c), on TrainKit's one worker
// pool; TRAINKIT_SGEMM=blas sends them to the loaded BLAS instead (except products of at most TK_SMALL_M rows
// on more than one thread, where the built-in column split wins). Measured on the 2-core Zen 4 dev machine
// against OpenBLAS 0.3.21 (Cooperlake kernels, 2 threads), each library in its own process: the built-in
// kernel took 0.72-0.99x OpenBLAS's time on every W1/W2/W5/W8 product and ran n = 1024 at the same rate; in
// one process the two pools take turns badly (OpenBLAS's workers keep yielding on the cores after each call),
// and when the host places the two vCPUs far apart, OpenBLAS's static split lost up to 3.5x on small batches
// where the pool's claimed ranges lost little. Float64 (tk_dgemm) still prefers the BLAS.
#include "tk_gemm.h"
#include "tk_gemm_kernels.h"
#include "tk_blas.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
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

/// Whether TRAINKIT_SGEMM=blas asks for float32 products on the BLAS (read once).
static int sgemm_on_blas = -1;
static pthread_once_t sgemm_choice_once = PTHREAD_ONCE_INIT;
static void read_sgemm_choice(void) {
    const char *choice = getenv("TRAINKIT_SGEMM");
    sgemm_on_blas = choice != NULL && strcmp(choice, "blas") == 0;
}

int tk_sgemm_uses_blas(void) {
    pthread_once(&sgemm_choice_once, read_sgemm_choice);
    if (!sgemm_on_blas) return 0;
    const tk_blas_t *blas = tk_blas_current();
    return blas->sgemm != NULL || blas->sgemm64 != NULL;
}

void tk_sgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha, const float *A, int64_t lda,
              const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    // A few rows (batch-1 inference): OpenBLAS runs these on one thread, the built-in small-row kernel splits
    // the columns across the pool, so each core streams half of B.
    int small_rows = M <= TK_SMALL_M && tk_get_num_threads() > 1;
    if (!small_rows && tk_sgemm_uses_blas() && tk_sgemm_blas(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta,
                                                             C, ldc))
        return;
    tk_sgemm_builtin(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// MARK: - Batched

typedef struct {
    tk_sgemm_args_t g;  // the first product; the b-th starts stride elements further in A, B and C
    int64_t strideA, strideB, strideC;
} batched_job_t;

static void batched_range(void *ctx, int64_t begin, int64_t end) {
    const batched_job_t *job = ctx;
    const tk_sgemm_args_t *g = &job->g;
    for (int64_t b = begin; b < end; b++)
        tk_sgemm_builtin(g->transA, g->transB, g->M, g->N, g->K, g->alpha, g->A + b * job->strideA, g->lda,
                         g->B + b * job->strideB, g->ldb, g->beta, g->C + b * job->strideC, g->ldc);
}

void tk_sgemm_batched(int transA, int transB, int64_t batch, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t strideA, int64_t lda, const float *B, int64_t strideB, int64_t ldb,
                      float beta, float *C, int64_t strideC, int64_t ldc) {
    if (batch <= 0 || M <= 0 || N <= 0) return;
    int64_t work = M * N * (K > 0 ? K : 1);
    // Products below ~1M multiply-adds: one worker per product (no hand-off inside a product, no packed panel
    // read across cores); W5's attention products are 64x64x32.
    if (batch > 1 && work < ((int64_t)1 << 20) && tk_get_num_threads() > 1) {
        batched_job_t job = {
            {transA, transB, M, N, K, alpha, beta, A, lda, B, ldb, C, ldc}, strideA, strideB, strideC};
        tk_parallel_for(batch, ((int64_t)1 << 18) / work + 1, batched_range, &job);
        return;
    }
    for (int64_t b = 0; b < batch; b++)
        tk_sgemm(transA, transB, M, N, K, alpha, A + b * strideA, lda, B + b * strideB, ldb, beta, C + b * strideC,
                 ldc);
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
