// The built-in sgemm: C = alpha * op(A) * op(B) + beta * C, row-major, in the GotoBLAS/BLIS scheme.
//
// Shapes: op(A) is [M, K], op(B) is [K, N], C is [M, N]; lda/ldb/ldc are row strides.
//
//   for jc in N step nc:                      B block [kc x nc] packed into nr-column panels (L3)
//     for pc in K step kc:
//       pack B
//       for ic in M step mc:                  A block [mc x kc] packed into mr-row panels (L2)
//         for jr in the block's nr-column panels:     one B micro-panel stays in L1 ...
//           for ir in the block's mr-row panels:      ... while A micro-panels stream from L2
//             microkernel: C[mr x nr] = alpha * Ap * Bp + beta' * C
//
// beta' is beta for the first K block and 1 after it; beta == 0 never reads C. Transposes are handled by the
// packing (gemm_pack.c), so the microkernels see one layout. Edge tiles are computed into a scratch tile and
// merged. The microkernel (AVX-512, AVX2 or generic C) follows tk_simd_level() at each call.
//
// Threads: with enough rows, they split M and share each packed B block (packed in parallel; two dispatches
// per K block). With few rows, each thread takes a slice of the columns and runs the whole loop nest on it
// with its own B (one dispatch). At most TK_SMALL_M rows skip packing altogether (gemm_small.c).
#include "tk_gemm.h"
#include "tk_gemm_kernels.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <pthread.h>
#include <string.h>

/// Below this many multiply-adds (M*N*K) the call runs on one thread: dispatch would cost more than it saves.
#define TK_GEMM_PARALLEL_MIN_FLOPS ((int64_t)64 * 64 * 64)
/// At most this many multiply-adds (M*N*K) skip packing (tk_sgemm_small_rows).
#define TK_GEMM_SMALL_PRODUCT ((int64_t)32 * 32 * 32)
/// Threads split M (sharing packed B) when each gets at least this many mr-row panels; with fewer rows they
/// split N and each packs its own B, which avoids reading B panels packed on another core.
/// Work cells per thread in the shared-B mode (dynamic load balancing).
#define TK_GEMM_CELLS_PER_THREAD 4
#ifndef TK_GEMM_SHARED_B_MIN_PANELS
#define TK_GEMM_SHARED_B_MIN_PANELS 4
#endif

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
static inline void pack_a_panel(int transA, const float *A, int64_t lda, int64_t i0, int64_t m, int64_t p0,
                                int64_t kc, int mr, float *ap) {
    if (transA)
        tk_pack_copy(A + p0 * lda + i0, lda, m, kc, mr, ap);
    else
        tk_pack_interleave(A + i0 * lda + p0, lda, m, kc, mr, ap);
}

/// Packs steps [p0, p0+kc) x columns [j0, j0+n) of op(B) into one nr-column panel:
/// Bp[k*nr + j] = op(B)[p0+k][j0+j].
static inline void pack_b_panel(int transB, const float *B, int64_t ldb, int64_t j0, int64_t n, int64_t p0,
                                int64_t kc, int nr, float *bp) {
    if (transB)
        tk_pack_interleave(B + j0 * ldb + p0, ldb, n, kc, nr, bp);
    else
        tk_pack_copy(B + p0 * ldb + j0, ldb, n, kc, nr, bp);
}

// MARK: - Driver

typedef struct {
    const tk_sgemm_kernel_t *kern;
    int transA, transB;
    int64_t M, N, K;
    float alpha, beta;
    const float *A;
    int64_t lda;
    const float *B;
    int64_t ldb;
    float *C;
    int64_t ldc;
    int64_t mc, kc_max, nc_max;  // blocking
    // Shared-B mode only: the current (jc, pc) block and the thread grid over it.
    int64_t jc, nc, pc, kc;
    float *bpack;  // packed B block: n_panels panels of [kc][nr]
    int64_t m_panels, n_panels;
    int tm, tn;  // tm shares of the M panels x tn shares of the block's N panels
    int slices;  // private-B mode: number of column slices
} gemm_job_t;

/// One tile: full tiles go straight to C, edge tiles through a scratch tile.
static inline void run_tile(const gemm_job_t *job, int64_t kc, float beta, const float *ap, const float *bp,
                            float *c, int64_t m, int64_t n) {
    const tk_sgemm_kernel_t *kern = job->kern;
    if (m == kern->mr && n == kern->nr) {
        kern->kernel(kc, ap, bp, c, job->ldc, job->alpha, beta);
        return;
    }
    float tile[TK_MAX_MR * TK_MAX_NR] __attribute__((aligned(64)));
    kern->kernel(kc, ap, bp, tile, kern->nr, 1.0f, 0.0f);
    for (int64_t i = 0; i < m; i++) {
        float *row = c + i * job->ldc;
        const float *t = tile + i * kern->nr;
        if (beta == 0.0f) {
            for (int64_t j = 0; j < n; j++) row[j] = job->alpha * t[j];
        } else {
            for (int64_t j = 0; j < n; j++) row[j] = job->alpha * t[j] + beta * row[j];
        }
    }
}

/// Rows [row0, row1) x columns [col0, col0 + ncols) of C for K block [pc, pc + kc), given that block of B
/// packed at `bpack` (panel 0 = column col0): packs A in mc-row blocks and runs the tiles.
static void macro_kernel(const gemm_job_t *job, int64_t row0, int64_t row1, int64_t col0, int64_t ncols,
                         int64_t pc, int64_t kc, float beta, const float *bpack, float *apack) {
    const int mr = job->kern->mr, nr = job->kern->nr;
    for (int64_t ic = row0; ic < row1; ic += job->mc) {
        int64_t mc = row1 - ic < job->mc ? row1 - ic : job->mc;
        for (int64_t ir = 0; ir < mc; ir += mr) {
            int64_t m = mc - ir < mr ? mc - ir : mr;
            pack_a_panel(job->transA, job->A, job->lda, ic + ir, m, pc, kc, mr, apack + ir * kc);
        }
        for (int64_t j0 = 0; j0 < ncols; j0 += nr) {
            int64_t n = ncols - j0 < nr ? ncols - j0 : nr;
            const float *bp = bpack + j0 * kc;
            float *cblock = job->C + ic * job->ldc + col0 + j0;
            for (int64_t ir = 0; ir < mc; ir += mr) {
                int64_t m = mc - ir < mr ? mc - ir : mr;
                run_tile(job, kc, beta, apack + ir * kc, bp, cblock + ir * job->ldc, m, n);
            }
        }
    }
}

/// Private-B mode: the whole product for columns [col0, col1) of C on the calling thread, with its own
/// packing buffers. Serial calls use it for all of C; parallel calls give each thread one column slice.
static void gemm_columns(const gemm_job_t *job, int64_t col0, int64_t col1) {
    const int nr = job->kern->nr;
    float *apack = thread_buffer(0, (size_t)job->mc * (size_t)job->kc_max);
    float *bpack = thread_buffer(1, (size_t)job->kc_max * (size_t)job->nc_max);
    for (int64_t jc = col0; jc < col1; jc += job->nc_max) {
        int64_t nc = col1 - jc < job->nc_max ? col1 - jc : job->nc_max;
        for (int64_t pc = 0; pc < job->K; pc += job->kc_max) {
            int64_t kc = job->K - pc < job->kc_max ? job->K - pc : job->kc_max;
            for (int64_t j0 = 0; j0 < nc; j0 += nr) {
                int64_t n = nc - j0 < nr ? nc - j0 : nr;
                pack_b_panel(job->transB, job->B, job->ldb, jc + j0, n, pc, kc, nr, bpack + j0 * kc);
            }
            macro_kernel(job, 0, job->M, jc, nc, pc, kc, pc == 0 ? job->beta : 1.0f, bpack, apack);
        }
    }
}

static void columns_range(void *ctx, int64_t begin, int64_t end) {
    const gemm_job_t *job = ctx;
    const int nr = job->kern->nr;
    int64_t panels = (job->N + nr - 1) / nr;
    for (int64_t s = begin; s < end; s++) {
        int64_t col0 = panels * s / job->slices * nr, col1 = panels * (s + 1) / job->slices * nr;
        gemm_columns(job, col0, col1 < job->N ? col1 : job->N);
    }
}

/// Shared-B mode, step 1: pack panels [begin, end) of the current B block into the shared buffer.
static void pack_b_range(void *ctx, int64_t begin, int64_t end) {
    gemm_job_t *job = ctx;
    int nr = job->kern->nr;
    for (int64_t p = begin; p < end; p++) {
        int64_t j0 = p * nr, n = job->nc - j0 < nr ? job->nc - j0 : nr;
        pack_b_panel(job->transB, job->B, job->ldb, job->jc + j0, n, job->pc, job->kc, nr,
                     job->bpack + p * job->kc * nr);
    }
}

/// Shared-B mode, step 2: grid cells [begin, end); cell t covers share t / tn of the M panels and share
/// t % tn of the current block's N panels.
static void compute_range(void *ctx, int64_t begin, int64_t end) {
    const gemm_job_t *job = ctx;
    const int mr = job->kern->mr, nr = job->kern->nr;
    float *apack = thread_buffer(0, (size_t)job->mc * (size_t)job->kc_max);
    for (int64_t t = begin; t < end; t++) {
        int64_t ti = t / job->tn, tj = t % job->tn;
        int64_t row0 = job->m_panels * ti / job->tm * mr, row1 = job->m_panels * (ti + 1) / job->tm * mr;
        int64_t p0 = job->n_panels * tj / job->tn, p1 = job->n_panels * (tj + 1) / job->tn;
        int64_t col1 = p1 * nr < job->nc ? p1 * nr : job->nc;
        macro_kernel(job, row0, row1 < job->M ? row1 : job->M, job->jc + p0 * nr, col1 - p0 * nr, job->pc,
                     job->kc, job->pc == 0 ? job->beta : 1.0f, job->bpack + p0 * nr * job->kc, apack);
    }
}

/// Shared-B mode: B blocks are packed once (in parallel) and read by every thread; threads split M (and, with
/// many threads, N too). Two dispatches per (jc, pc) block.
static void gemm_shared_b(gemm_job_t *job, int threads) {
    const int mr = job->kern->mr, nr = job->kern->nr;
    job->m_panels = (job->M + mr - 1) / mr;
    job->bpack = thread_buffer(1, (size_t)job->kc_max * (size_t)job->nc_max);
    for (int64_t jc = 0; jc < job->N; jc += job->nc_max) {
        job->jc = jc;
        job->nc = job->N - jc < job->nc_max ? job->N - jc : job->nc_max;
        job->n_panels = (job->nc + nr - 1) / nr;
        // Minimise the slowest thread's tile count; ties go to splitting M.
        int64_t best = -1;
        for (int a = threads; a >= 1; a--) {
            if (threads % a != 0) continue;
            int b = threads / a;
            int64_t cost = ((job->m_panels + a - 1) / a) * ((job->n_panels + b - 1) / b);
            if (best < 0 || cost < best) {
                best = cost;
                job->tm = a;
                job->tn = b;
            }
        }
        // More cells than threads (up to TK_GEMM_CELLS_PER_THREAD each, >= 2 row panels per cell), claimed one
        // at a time: a thread that loses its core to another process ends up with fewer.
        int64_t split = job->m_panels / (2 * job->tm);
        job->tm *= (int)(split < 1 ? 1 : split > TK_GEMM_CELLS_PER_THREAD ? TK_GEMM_CELLS_PER_THREAD : split);
        for (int64_t pc = 0; pc < job->K; pc += job->kc_max) {
            job->pc = pc;
            job->kc = job->K - pc < job->kc_max ? job->K - pc : job->kc_max;
            int64_t pack_chunks = job->n_panels * job->kc * nr / 16384;  // >= ~16k floats per chunk
            if (pack_chunks > TK_GEMM_CELLS_PER_THREAD * threads) pack_chunks = TK_GEMM_CELLS_PER_THREAD * threads;
            tk_parallel_for_chunks(job->n_panels, pack_chunks, pack_b_range, job);
            tk_parallel_for_chunks((int64_t)job->tm * job->tn, (int64_t)job->tm * job->tn, compute_range, job);
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

static const tk_sgemm_kernel_t *kernel_for_level(int level) {
    const tk_sgemm_kernel_t *kern = NULL;
    switch (level) {
    case TK_SIMD_AVX512: kern = tk_sgemm_kernel_avx512(); break;
    case TK_SIMD_AVX2: kern = tk_sgemm_kernel_avx2(); break;
    default: break;
    }
    return kern ? kern : tk_sgemm_kernel_generic();
}

static void sgemm_at_level(int level, int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                           const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C,
                           int64_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0.0f) {
        tk_scale_matrix(M, N, beta, C, ldc);
        return;
    }
    if (M <= TK_SMALL_M) {
        tk_sgemm_small_m(level, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    const tk_sgemm_kernel_t *kern = kernel_for_level(level);
    // Narrow (N at most half a microkernel tile) or tiny products: packing and padded tiles cost more than the
    // arithmetic (128x10x128, 1 thread: 12.7 -> 11.5 us; 16x10x128: 2.6 -> 1.5 us).
    if (N * 2 <= kern->nr || M * N * K <= TK_GEMM_SMALL_PRODUCT) {
        tk_sgemm_small_rows(level, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    gemm_job_t job = {
        .kern = kern, .transA = transA != 0, .transB = transB != 0, .M = M, .N = N, .K = K, .alpha = alpha,
        .beta = beta, .A = A, .lda = lda, .B = B, .ldb = ldb, .C = C, .ldc = ldc,
    };
    const int mr = kern->mr, nr = kern->nr;
    int64_t mc = tk_gemm_blocking_override.mc ? tk_gemm_blocking_override.mc : kern->mc;
    int64_t kc = tk_gemm_blocking_override.kc ? tk_gemm_blocking_override.kc : kern->kc;
    int64_t nc = tk_gemm_blocking_override.nc ? tk_gemm_blocking_override.nc : kern->nc;
    int64_t n_panels = (N + nr - 1) / nr, m_panels = (M + mr - 1) / mr;
    job.mc = (mc + mr - 1) / mr * mr;
    // K blocks of equal size (784 = 4 x 196, not 3 x 256 + 16): a short last block wastes C traffic.
    int64_t k_blocks = (K + kc - 1) / kc;
    job.kc_max = (K + k_blocks - 1) / k_blocks;
    job.nc_max = (nc + nr - 1) / nr * nr;
    if (job.nc_max > n_panels * nr) job.nc_max = n_panels * nr;

    int threads = tk_in_parallel_region() || M * N * K < TK_GEMM_PARALLEL_MIN_FLOPS ? 1 : tk_get_num_threads();
    if (threads > n_panels && threads > m_panels) threads = (int)(n_panels > m_panels ? n_panels : m_panels);
    if (threads <= 1) {
        gemm_columns(&job, 0, N);
    } else if (m_panels >= TK_GEMM_SHARED_B_MIN_PANELS * threads || n_panels < threads) {
        gemm_shared_b(&job, threads);
    } else {
        // Few rows: column slices (up to 2 per thread, each >= 2 panels wide), each packing its own B (nothing
        // crosses cores) and its own copy of the few rows of A.
        job.slices = n_panels >= 4 * threads ? 2 * threads : threads;
        tk_parallel_for_chunks(job.slices, job.slices, columns_range, &job);
    }
}

void tk_sgemm_builtin(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha, const float *A,
                      int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc) {
    sgemm_at_level(tk_simd_level_id(), transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

int tk_sgemm_builtin_level(const char *simd_level, int transA, int transB, int64_t M, int64_t N, int64_t K,
                           float alpha, const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                           float *C, int64_t ldc) {
    int level = tk_simd_level_id_named(simd_level);
    if (level < 0) return 0;
    sgemm_at_level(level, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return 1;
}

const char *tk_sgemm_builtin_kernel_name(void) { return kernel_for_level(tk_simd_level_id())->name; }
