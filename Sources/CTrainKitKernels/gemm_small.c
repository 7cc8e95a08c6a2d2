// GEMM for a few rows (M <= TK_SMALL_M, e.g. a batch-1 Linear layer), without packing B: packing would read
// and write all of B to use it M times. C[M, N] = alpha * op(A)[M, K] * op(B)[K, N] + beta * C.
//
// op(A) rows are first gathered into a contiguous [M, K] scratch. Then, per block of columns:
//   op(B) = B  (rows of B contiguous in N): acc[i][j] += a[i][k] * B[k][j], vectorised over j (AXPY form);
//   op(B) = Bᵀ (rows of B contiguous in K): acc[i][j] = dot(a[i], B[j]), vectorised over k (dot form).
// Columns are split across the pool when the product is large enough.
#include "tk_gemm.h"
#include "tk_gemm_kernels.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <string.h>

/// Columns per block in the AXPY form: the M accumulator rows stay in L1.
#define COLUMN_BLOCK 512

typedef struct {
    int transB;
    int64_t M, N, K;
    float alpha, beta;
    const float *a;  // [M, K] contiguous
    const float *B;
    int64_t ldb;
    float *C;
    int64_t ldc;
    int simd;
} small_job_t;

static inline void store_result(const small_job_t *job, int64_t i, int64_t j, float value) {
    float *c = job->C + i * job->ldc + j;
    *c = job->beta == 0.0f ? job->alpha * value : job->alpha * value + job->beta * *c;
}

// MARK: - Portable loops

static void axpy_block_generic(const small_job_t *job, int64_t j0, int64_t nb, float *acc) {
    memset(acc, 0, sizeof(float) * (size_t)(job->M * nb));
    for (int64_t k = 0; k < job->K; k++) {
        const float *b = job->B + k * job->ldb + j0;
        for (int64_t i = 0; i < job->M; i++) {
            float a = job->a[i * job->K + k];
            float *row = acc + i * nb;
            for (int64_t j = 0; j < nb; j++) row[j] += a * b[j];
        }
    }
}

static float dot_generic(const float *x, const float *y, int64_t n) {
    float sum = 0.0f;
    for (int64_t k = 0; k < n; k++) sum += x[k] * y[k];
    return sum;
}

// MARK: - AVX2

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TK_AVX2 __attribute__((target("avx2,fma")))

/// acc[i][j] for V vectors of columns starting at b's column (the last one masked to `mask`), M rows.
TK_AVX2 __attribute__((always_inline)) static inline void axpy_tile_avx2(const small_job_t *job, const float *b,
                                                                         float *acc, int64_t nb, const int M,
                                                                         const int V, __m256i mask) {
    const int64_t K = job->K;
    __m256 c[TK_SMALL_M][4];
    for (int i = 0; i < M; i++)
        for (int v = 0; v < V; v++) c[i][v] = _mm256_setzero_ps();
    for (int64_t k = 0; k < K; k++, b += job->ldb) {
        __m256 vb[4];
        for (int v = 0; v < V - 1; v++) vb[v] = _mm256_loadu_ps(b + 8 * v);
        vb[V - 1] = _mm256_maskload_ps(b + 8 * (V - 1), mask);
        for (int i = 0; i < M; i++) {
            __m256 a = _mm256_broadcast_ss(job->a + i * K + k);
            for (int v = 0; v < V; v++) c[i][v] = _mm256_fmadd_ps(a, vb[v], c[i][v]);
        }
    }
    for (int i = 0; i < M; i++) {
        for (int v = 0; v < V - 1; v++) _mm256_storeu_ps(acc + i * nb + 8 * v, c[i][v]);
        _mm256_maskstore_ps(acc + i * nb + 8 * (V - 1), mask, c[i][V - 1]);
    }
}

/// acc[i][j] = Σ_k a[i][k] · B[k][j0 + j] over columns [0, nb): 32- or 16-column register blocks, then 8,
/// then a masked remainder; B is read straight from its rows.
TK_AVX2 __attribute__((always_inline)) static inline void axpy_rows_avx2(const small_job_t *job, int64_t j0,
                                                                         int64_t nb, float *acc, const int M) {
    const __m256i all = _mm256_set1_epi32(-1);
    const float *b = job->B + j0;
    int64_t j = 0;
    if (M <= 2) {  // 4M accumulators + 4 B vectors fit the 16 ymm registers; for M > 2 only 2 vectors wide
        for (; j + 32 <= nb; j += 32) axpy_tile_avx2(job, b + j, acc + j, nb, M, 4, all);
    } else {
        for (; j + 16 <= nb; j += 16) axpy_tile_avx2(job, b + j, acc + j, nb, M, 2, all);
    }
    for (; j + 8 <= nb; j += 8) axpy_tile_avx2(job, b + j, acc + j, nb, M, 1, all);
    if (j < nb) {
        __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(nb - j)), lane);
        axpy_tile_avx2(job, b + j, acc + j, nb, M, 1, mask);
    }
}

TK_AVX2 static void axpy_block_avx2(const small_job_t *job, int64_t j0, int64_t nb, float *acc) {
    switch (job->M) {
    case 1: axpy_rows_avx2(job, j0, nb, acc, 1); break;
    case 2: axpy_rows_avx2(job, j0, nb, acc, 2); break;
    case 3: axpy_rows_avx2(job, j0, nb, acc, 3); break;
    default: axpy_rows_avx2(job, j0, nb, acc, 4); break;
    }
}

TK_AVX2 static inline float hsum_avx2(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// out[i][r] = dot(a[i], B[j + r]) for the M rows of a and R consecutive rows of B, over K.
TK_AVX2 __attribute__((always_inline)) static inline void dots_avx2(const float *a, int64_t K, const float *b,
                                                                    int64_t ldb, float out[][4], const int M,
                                                                    const int R) {
    __m256 c[TK_SMALL_M][4];
    for (int i = 0; i < M; i++)
        for (int r = 0; r < R; r++) c[i][r] = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 8 <= K; k += 8) {
        __m256 vb[4];
        for (int r = 0; r < R; r++) vb[r] = _mm256_loadu_ps(b + r * ldb + k);
        for (int i = 0; i < M; i++) {
            __m256 va = _mm256_loadu_ps(a + i * K + k);
            for (int r = 0; r < R; r++) c[i][r] = _mm256_fmadd_ps(va, vb[r], c[i][r]);
        }
    }
    for (int i = 0; i < M; i++) {
        for (int r = 0; r < R; r++) {
            float sum = hsum_avx2(c[i][r]);
            for (int64_t t = k; t < K; t++) sum += a[i * K + t] * b[r * ldb + t];
            out[i][r] = sum;
        }
    }
}

/// Columns [begin, end) of the dot form: groups of 4 (M <= 2) or 2 (M <= 4) rows of B at a time.
TK_AVX2 static void dot_columns_avx2(const small_job_t *job, int64_t begin, int64_t end) {
    const int64_t M = job->M, K = job->K;
    float out[TK_SMALL_M][4];
    int64_t j = begin;
    for (; j < end;) {
        const float *b = job->B + j * job->ldb;
        int64_t left = end - j;
        int R;
        if (M <= 2 && left >= 4) {
            R = 4;
            if (M == 1) dots_avx2(job->a, K, b, job->ldb, out, 1, 4);
            else dots_avx2(job->a, K, b, job->ldb, out, 2, 4);
        } else if (left >= 2) {
            R = 2;
            if (M == 1) dots_avx2(job->a, K, b, job->ldb, out, 1, 2);
            else if (M == 2) dots_avx2(job->a, K, b, job->ldb, out, 2, 2);
            else if (M == 3) dots_avx2(job->a, K, b, job->ldb, out, 3, 2);
            else dots_avx2(job->a, K, b, job->ldb, out, 4, 2);
        } else {
            R = 1;
            dots_avx2(job->a, K, b, job->ldb, out, 4 < M ? 4 : (int)M, 1);
        }
        for (int64_t i = 0; i < M; i++)
            for (int r = 0; r < R; r++) store_result(job, i, j + r, out[i][r]);
        j += R;
    }
}
#endif

// MARK: - Driver

static void small_columns(void *ctx, int64_t begin, int64_t end) {
    const small_job_t *job = ctx;
    if (job->transB) {
#if defined(__x86_64__) || defined(__i386__)
        if (job->simd >= TK_SIMD_AVX2) {
            dot_columns_avx2(job, begin, end);
            return;
        }
#endif
        for (int64_t j = begin; j < end; j++) {
            const float *b = job->B + j * job->ldb;
            for (int64_t i = 0; i < job->M; i++) store_result(job, i, j, dot_generic(job->a + i * job->K, b, job->K));
        }
        return;
    }
    float acc[TK_SMALL_M * COLUMN_BLOCK] __attribute__((aligned(64)));
    for (int64_t j0 = begin; j0 < end; j0 += COLUMN_BLOCK) {
        int64_t nb = end - j0 < COLUMN_BLOCK ? end - j0 : COLUMN_BLOCK;
#if defined(__x86_64__) || defined(__i386__)
        if (job->simd >= TK_SIMD_AVX2) {
            axpy_block_avx2(job, j0, nb, acc);
        } else
#endif
        {
            axpy_block_generic(job, j0, nb, acc);
        }
        for (int64_t i = 0; i < job->M; i++)
            for (int64_t j = 0; j < nb; j++) store_result(job, i, j0 + j, acc[i * nb + j]);
    }
}

void tk_sgemm_small_m(int simd_level, int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    // op(A) as [M, K] contiguous rows (at most TK_SMALL_M * K floats): A itself when its rows already are
    // (no transpose, lda == K: the row blocks of a tall product), else gathered — whole rows by memcpy.
    float stack_rows[TK_SMALL_M * 1024];
    const float *a = A;
    float *gathered = NULL;
    if (transA || lda != K) {
        gathered = M * K <= TK_SMALL_M * 1024 ? stack_rows : tk_aligned_alloc(sizeof(float) * (size_t)(M * K));
        if (transA) {
            for (int64_t i = 0; i < M; i++)
                for (int64_t k = 0; k < K; k++) gathered[i * K + k] = A[k * lda + i];
        } else {
            for (int64_t i = 0; i < M; i++) memcpy(gathered + i * K, A + i * lda, sizeof(float) * (size_t)K);
        }
        a = gathered;
    }
    small_job_t job = {transB != 0, M, N, K, alpha, beta, a, B, ldb, C, ldc, simd_level};
    // Columns per chunk: at least ~64k multiply-adds, and whole column blocks in the AXPY form.
    int64_t grain = (1 << 16) / (M * K) + 1;
    if (!transB) grain = (grain + COLUMN_BLOCK - 1) / COLUMN_BLOCK * COLUMN_BLOCK;
    tk_parallel_for(N, grain, small_columns, &job);
    if (gathered != NULL && gathered != stack_rows) tk_aligned_free(gathered);
}

// MARK: - Small products of any height

typedef struct {
    int simd;
    tk_sgemm_args_t g;
} row_blocks_job_t;

static void row_blocks(void *ctx, int64_t begin, int64_t end) {
    const row_blocks_job_t *job = ctx;
    const tk_sgemm_args_t *g = &job->g;
    for (int64_t block = begin; block < end; block++) {
        int64_t i0 = block * TK_SMALL_M, m = g->M - i0 < TK_SMALL_M ? g->M - i0 : TK_SMALL_M;
        const float *a = g->transA ? g->A + i0 : g->A + i0 * g->lda;
        tk_sgemm_small_m(job->simd, g->transA, g->transB, m, g->N, g->K, g->alpha, a, g->lda, g->B, g->ldb, g->beta,
                         g->C + i0 * g->ldc, g->ldc);
    }
}

/// Cᵀ = op(B)ᵀ · A for op(A) = Aᵀ and a narrow op(B) = B (N <= TK_SMALL_M; a first layer's weight gradient
/// gᵀ·x, [256, 64]·[64, 4]): one small-row product of N rows over all M columns, where the row blocks would gather
/// M/4 strided blocks of A. Each element is the same sequential multiply-add over k as in the row blocks' AXPY
/// form, then merged as store_result does.
static void small_rows_transposed(int simd_level, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                                  int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    float *t = tk_aligned_alloc(sizeof(float) * (size_t)(N * M));
    tk_sgemm_small_m(simd_level, 1, 0, N, M, K, 1.0f, B, ldb, A, lda, 0.0f, t, M);
    small_job_t job = {.alpha = alpha, .beta = beta, .C = C, .ldc = ldc};
    for (int64_t i = 0; i < M; i++)
        for (int64_t j = 0; j < N; j++) store_result(&job, i, j, t[j * M + i]);
    tk_aligned_free(t);
}

void tk_sgemm_small_rows(int simd_level, int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                         const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C,
                         int64_t ldc) {
    if (transA && !transB && N <= TK_SMALL_M && M > TK_SMALL_M && simd_level >= TK_SIMD_AVX2) {
        small_rows_transposed(simd_level, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    row_blocks_job_t job = {simd_level, {transA != 0, transB != 0, M, N, K, alpha, beta, A, lda, B, ldb, C, ldc}};
    int64_t blocks = (M + TK_SMALL_M - 1) / TK_SMALL_M;
    tk_parallel_for(blocks, (1 << 16) / (TK_SMALL_M * N * K) + 1, row_blocks, &job);
}
