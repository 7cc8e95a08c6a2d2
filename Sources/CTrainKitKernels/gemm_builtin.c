// The built-in sgemm: C = alpha * op(A) * op(B) + beta * C, row-major, in the GotoBLAS/BLIS scheme.
//
// Shapes: op(A) is [M, K], op(B) is [K, N], C is [M, N]; lda/ldb/ldc are row strides.
//
//   for jc in N step nc:                      B block [kc x nc] packed into nr-column panels (L3), shared
//     for pc in K step kc:
//       pack B (in parallel over panels)
//       for each thread's share of (M panels) x (N panels):            (in parallel)
//         for ic in its rows step mc:         A block [mc x kc] packed into mr-row panels (L2), per thread
//           for jr in its nr-column panels:   one B micro-panel stays in L1 ...
//             for ir in the block's mr-row panels:  ... while A micro-panels stream from L2
//               microkernel: C[mr x nr] = alpha * Ap * Bp + beta' * C
//
// beta' is beta for the first K block and 1 after it; beta == 0 never reads C. Transposes are handled by the
// packing routines, so the microkernels see one layout. Edge tiles are computed into a scratch tile and
// merged. The microkernel (AVX-512, AVX2 or generic C) follows tk_simd_level() at each call.
#include "tk_gemm.h"
#include "tk_gemm_kernels.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <pthread.h>
#include <string.h>

/// Below this many multiply-adds (M*N*K) the call runs on one thread: dispatch would cost more than it saves.
#define TK_GEMM_PARALLEL_MIN_FLOPS ((int64_t)64 * 64 * 64)

tk_gemm_blocking_t tk_gemm_blocking_override = {0, 0, 0};

// MARK: - Per-thread packing buffers

typedef struct {
    float *data;
    size_t capacity;  // floats
} tk_buffer_t;

static pthread_key_t buffer_key;
static pthread_once_t buffer_key_once = PTHREAD_ONCE_INIT;

static void free_buffers(void *p) {
    tk_buffer_t *buffers = p;
    tk_aligned_free(buffers[0].data);
    tk_aligned_free(buffers[1].data);
    tk_aligned_free(buffers);
}

static void make_buffer_key(void) { pthread_key_create(&buffer_key, free_buffers); }

/// This thread's buffer `which` (0: A blocks, 1: B blocks), at least `floats` long and 64-byte aligned.
static float *thread_buffer(int which, size_t floats) {
    pthread_once(&buffer_key_once, make_buffer_key);
    tk_buffer_t *buffers = pthread_getspecific(buffer_key);
    if (buffers == NULL) {
        buffers = tk_aligned_alloc(2 * sizeof(tk_buffer_t));
        memset(buffers, 0, 2 * sizeof(tk_buffer_t));
        pthread_setspecific(buffer_key, buffers);
    }
    tk_buffer_t *b = &buffers[which];
    if (b->capacity < floats) {
        tk_aligned_free(b->data);
        b->data = tk_aligned_alloc(floats * sizeof(float));
        b->capacity = floats;
    }
    return b->data;
}

// MARK: - Packing

/// Packs rows [i0, i0+m) x steps [p0, p0+kc) of op(A) into one mr-row panel: Ap[k*mr + r] = op(A)[i0+r][p0+k].
/// Rows m..mr-1 are zero.
static void pack_a_panel(int transA, const float *A, int64_t lda, int64_t i0, int64_t m, int64_t p0, int64_t kc,
                         int mr, float *restrict ap) {
    if (transA) {  // op(A)[i][k] = A[k][i]: each step is a contiguous run of m values
        for (int64_t k = 0; k < kc; k++) {
            const float *src = A + (p0 + k) * lda + i0;
            float *dst = ap + k * mr;
            int64_t r = 0;
            for (; r < m; r++) dst[r] = src[r];
            for (; r < mr; r++) dst[r] = 0.0f;
        }
    } else {  // op(A)[i][k] = A[i][k]: each row is contiguous in k
        for (int64_t r = 0; r < m; r++) {
            const float *src = A + (i0 + r) * lda + p0;
            for (int64_t k = 0; k < kc; k++) ap[k * mr + r] = src[k];
        }
        for (int64_t r = m; r < mr; r++)
            for (int64_t k = 0; k < kc; k++) ap[k * mr + r] = 0.0f;
    }
}

/// Packs steps [p0, p0+kc) x columns [j0, j0+n) of op(B) into one nr-column panel:
/// Bp[k*nr + j] = op(B)[p0+k][j0+j]. Columns n..nr-1 are zero.
static void pack_b_panel(int transB, const float *B, int64_t ldb, int64_t j0, int64_t n, int64_t p0, int64_t kc,
                         int nr, float *restrict bp) {
    if (!transB) {  // op(B)[k][j] = B[k][j]: each step is a contiguous run of n values
        for (int64_t k = 0; k < kc; k++) {
            const float *src = B + (p0 + k) * ldb + j0;
            float *dst = bp + k * nr;
            int64_t j = 0;
            for (; j < n; j++) dst[j] = src[j];
            for (; j < nr; j++) dst[j] = 0.0f;
        }
    } else {  // op(B)[k][j] = B[j][k]: each column is contiguous in k
        for (int64_t j = 0; j < n; j++) {
            const float *src = B + (j0 + j) * ldb + p0;
            for (int64_t k = 0; k < kc; k++) bp[k * nr + j] = src[k];
        }
        for (int64_t j = n; j < nr; j++)
            for (int64_t k = 0; k < kc; k++) bp[k * nr + j] = 0.0f;
    }
}

// MARK: - Driver

typedef struct {
    const tk_sgemm_kernel_t *kern;
    int transA, transB;
    int64_t M, N, K;
    float alpha;
    const float *A;
    int64_t lda;
    const float *B;
    int64_t ldb;
    float *C;
    int64_t ldc;
    int64_t mc, kc_max;
    // The current (jc, pc) block.
    int64_t jc, nc, pc, kc;
    float beta;     // beta' for this K block
    float *bpack;   // packed B block: n_panels panels of [kc][nr]
    int64_t m_panels, n_panels;
    int tm, tn;     // thread grid: tm shares of M panels x tn shares of N panels
} gemm_job_t;

static void pack_b_range(void *ctx, int64_t begin, int64_t end) {
    gemm_job_t *job = ctx;
    int nr = job->kern->nr;
    for (int64_t p = begin; p < end; p++) {
        int64_t j0 = p * nr, n = job->nc - j0 < nr ? job->nc - j0 : nr;
        pack_b_panel(job->transB, job->B, job->ldb, job->jc + j0, n, job->pc, job->kc, nr,
                     job->bpack + p * job->kc * nr);
    }
}

/// One tile: full tiles go straight to C, edge tiles through a scratch tile.
static inline void run_tile(const gemm_job_t *job, const float *ap, const float *bp, float *c, int64_t m,
                            int64_t n) {
    const tk_sgemm_kernel_t *kern = job->kern;
    if (m == kern->mr && n == kern->nr) {
        kern->kernel(job->kc, ap, bp, c, job->ldc, job->alpha, job->beta);
        return;
    }
    float tile[TK_MAX_MR * TK_MAX_NR] __attribute__((aligned(64)));
    kern->kernel(job->kc, ap, bp, tile, kern->nr, 1.0f, 0.0f);
    for (int64_t i = 0; i < m; i++) {
        float *row = c + i * job->ldc;
        const float *t = tile + i * kern->nr;
        if (job->beta == 0.0f) {
            for (int64_t j = 0; j < n; j++) row[j] = job->alpha * t[j];
        } else {
            for (int64_t j = 0; j < n; j++) row[j] = job->alpha * t[j] + job->beta * row[j];
        }
    }
}

/// Runs the thread-grid cells [begin, end): cell t covers share t / tn of the M panels and t % tn of the N
/// panels of the current block.
static void compute_range(void *ctx, int64_t begin, int64_t end) {
    gemm_job_t *job = ctx;
    const int mr = job->kern->mr, nr = job->kern->nr;
    const int64_t kc = job->kc;
    float *apack = thread_buffer(0, (size_t)job->mc * (size_t)job->kc_max);
    for (int64_t t = begin; t < end; t++) {
        int64_t ti = t / job->tn, tj = t % job->tn;
        int64_t row0 = job->m_panels * ti / job->tm * mr;
        int64_t row1 = job->m_panels * (ti + 1) / job->tm * mr;
        if (row1 > job->M) row1 = job->M;
        int64_t p0 = job->n_panels * tj / job->tn, p1 = job->n_panels * (tj + 1) / job->tn;
        for (int64_t ic = row0; ic < row1; ic += job->mc) {
            int64_t mc = row1 - ic < job->mc ? row1 - ic : job->mc;
            for (int64_t ir = 0; ir < mc; ir += mr) {
                int64_t m = mc - ir < mr ? mc - ir : mr;
                pack_a_panel(job->transA, job->A, job->lda, ic + ir, m, job->pc, kc, mr, apack + ir * kc);
            }
            for (int64_t p = p0; p < p1; p++) {
                int64_t j0 = p * nr, n = job->nc - j0 < nr ? job->nc - j0 : nr;
                const float *bp = job->bpack + p * kc * nr;
                float *cblock = job->C + ic * job->ldc + job->jc + j0;
                for (int64_t ir = 0; ir < mc; ir += mr) {
                    int64_t m = mc - ir < mr ? mc - ir : mr;
                    run_tile(job, apack + ir * kc, bp, cblock + ir * job->ldc, m, n);
                }
            }
        }
    }
}

/// Splits `threads` into tm x tn to minimise the slowest thread's tile count (ties go to splitting M, which
/// packs no A twice).
static void choose_grid(int threads, int64_t m_panels, int64_t n_panels, int *tm, int *tn) {
    int64_t best = -1;
    for (int a = threads; a >= 1; a--) {
        if (threads % a != 0) continue;
        int b = threads / a;
        int64_t cost = ((m_panels + a - 1) / a) * ((n_panels + b - 1) / b);
        if (best < 0 || cost < best) {
            best = cost;
            *tm = a;
            *tn = b;
        }
    }
}

/// C = beta * C over [M, N] (beta == 0 writes zeros without reading C).
void tk_scale_matrix(int64_t M, int64_t N, float beta, float *C, int64_t ldc) {
    for (int64_t i = 0; i < M; i++) {
        float *row = C + i * ldc;
        if (beta == 0.0f) {
            memset(row, 0, (size_t)N * sizeof(float));
        } else if (beta != 1.0f) {
            for (int64_t j = 0; j < N; j++) row[j] *= beta;
        }
    }
}

static const tk_sgemm_kernel_t *select_kernel(void) {
    const tk_sgemm_kernel_t *kern = NULL;
    switch (tk_simd_level_id()) {
    case TK_SIMD_AVX512: kern = tk_sgemm_kernel_avx512(); break;
    case TK_SIMD_AVX2: kern = tk_sgemm_kernel_avx2(); break;
    default: break;
    }
    return kern ? kern : tk_sgemm_kernel_generic();
}

void tk_sgemm_builtin(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                      int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0.0f) {
        tk_scale_matrix(M, N, beta, C, ldc);
        return;
    }
    gemm_job_t job = {
        .kern = select_kernel(), .transA = transA != 0, .transB = transB != 0, .M = M, .N = N, .K = K,
        .alpha = alpha, .A = A, .lda = lda, .B = B, .ldb = ldb, .C = C, .ldc = ldc,
    };
    const int mr = job.kern->mr, nr = job.kern->nr;
    int64_t mc = tk_gemm_blocking_override.mc ? tk_gemm_blocking_override.mc : job.kern->mc;
    int64_t kc_max = tk_gemm_blocking_override.kc ? tk_gemm_blocking_override.kc : job.kern->kc;
    int64_t nc_max = tk_gemm_blocking_override.nc ? tk_gemm_blocking_override.nc : job.kern->nc;
    mc = (mc + mr - 1) / mr * mr;
    nc_max = (nc_max + nr - 1) / nr * nr;
    if (kc_max > K) kc_max = K;
    if (nc_max > (N + nr - 1) / nr * nr) nc_max = (N + nr - 1) / nr * nr;
    job.mc = mc;
    job.kc_max = kc_max;
    job.m_panels = (M + mr - 1) / mr;

    int threads = tk_in_parallel_region() || M * N * K < TK_GEMM_PARALLEL_MIN_FLOPS ? 1 : tk_get_num_threads();
    job.bpack = thread_buffer(1, (size_t)kc_max * (size_t)nc_max);

    for (int64_t jc = 0; jc < N; jc += nc_max) {
        job.jc = jc;
        job.nc = N - jc < nc_max ? N - jc : nc_max;
        job.n_panels = (job.nc + nr - 1) / nr;
        job.tm = 1;
        job.tn = 1;
        if (threads > 1) choose_grid(threads, job.m_panels, job.n_panels, &job.tm, &job.tn);
        for (int64_t pc = 0; pc < K; pc += kc_max) {
            job.pc = pc;
            job.kc = K - pc < kc_max ? K - pc : kc_max;
            job.beta = pc == 0 ? beta : 1.0f;
            if (threads > 1) {
                // Enough panels per chunk that each packs at least ~16k floats.
                int64_t grain = 16384 / (job.kc * nr) + 1;
                tk_parallel_for(job.n_panels, grain, pack_b_range, &job);
                tk_parallel_for((int64_t)job.tm * job.tn, 1, compute_range, &job);
            } else {
                pack_b_range(&job, 0, job.n_panels);
                compute_range(&job, 0, 1);
            }
        }
    }
}
