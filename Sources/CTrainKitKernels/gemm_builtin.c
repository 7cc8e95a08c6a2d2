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
// Threads: one dispatch per call. Each thread takes slices of the rows (when M > N) or of the columns and runs
// the whole loop nest on them with its own packed blocks, so no packed panel is read across cores. On the
// 2-vCPU dev machine the host at times places the two vCPUs far apart (a cache-line round trip between them
// 0.33 us instead of 0.14 us); an earlier scheme that packed each B block once and shared it (two dispatches
// per K block) then fell from 208 to 168 GFLOP/s at n = 1024 (256: 198 -> 145), while this one held 197-205
// (191-194), and was as fast in normal periods. Narrow or tiny products skip packing (tk_sgemm_small_rows), as
// do products of at most TK_SMALL_M rows (gemm_small.c).
#include "tk_gemm.h"
#include "tk_gemm_kernels.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <pthread.h>
#include <string.h>

/// Below this many multiply-adds (M*N*K) the call runs on one thread: dispatch would cost more than it saves.
#define TK_GEMM_PARALLEL_MIN_FLOPS ((int64_t)64 * 64 * 64)
/// Products of at most this many rows read an untransposed A or B in place (no packing) when the kernel can.
#define TK_GEMM_DIRECT_B_MAX_M 256
/// At most this many multiply-adds (M*N*K) skip packing (tk_sgemm_small_rows).
#define TK_GEMM_SMALL_PRODUCT ((int64_t)32 * 32 * 32)

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
    tk_sgemm_args_t g;
    int64_t mc, kc_max, nc_max;  // blocking
    int slices;      // private mode: number of row or column slices
    int split_rows;  // private mode: slices of rows (each thread packs all of B) or of columns (all of A)
    int direct_b;    // op(B) = B read in place by the strided kernel (no B packing)
    int direct_a;    // op(A) = A: full mr-row panels read in place by the strided kernel (no A packing)
} gemm_job_t;

/// One tile: full tiles go straight to C, edge tiles through a scratch tile.
/// `in_place_a`: `ap` points into A itself (rows lda apart), else at a packed panel.
static inline void run_tile(const gemm_job_t *job, int64_t kc, float beta, const float *ap, int in_place_a,
                            const float *bp, float *c, int64_t m, int64_t n) {
    const tk_sgemm_kernel_t *kern = job->kern;
    int64_t rs = in_place_a ? job->g.lda : 1, ks = in_place_a ? 1 : kern->mr;
    int64_t ldb = job->direct_b ? job->g.ldb : kern->nr;
    int strided = job->direct_b || in_place_a;
    if (m == kern->mr && n == kern->nr) {
        if (strided)
            kern->kernel_strided(kc, ap, rs, ks, bp, ldb, c, job->g.ldc, job->g.alpha, beta);
        else
            kern->kernel(kc, ap, bp, c, job->g.ldc, job->g.alpha, beta);
        return;
    }
    float tile[TK_MAX_MR * TK_MAX_NR] __attribute__((aligned(64)));
    if (strided)
        kern->kernel_strided(kc, ap, rs, ks, bp, ldb, tile, kern->nr, 1.0f, 0.0f);
    else
        kern->kernel(kc, ap, bp, tile, kern->nr, 1.0f, 0.0f);
    for (int64_t i = 0; i < m; i++) {
        float *row = c + i * job->g.ldc;
        const float *t = tile + i * kern->nr;
        if (beta == 0.0f) {
            for (int64_t j = 0; j < n; j++) row[j] = job->g.alpha * t[j];
        } else {
            for (int64_t j = 0; j < n; j++) row[j] = job->g.alpha * t[j] + beta * row[j];
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
            if (job->direct_a && m == mr) continue;  // read in place (a short edge panel is packed, zero-padded)
            pack_a_panel(job->g.transA, job->g.A, job->g.lda, ic + ir, m, pc, kc, mr, apack + ir * kc);
        }
        for (int64_t j0 = 0; j0 < ncols; j0 += nr) {
            int64_t n = ncols - j0 < nr ? ncols - j0 : nr;
            const float *bp = job->direct_b ? bpack + j0 : bpack + j0 * kc;
            float *cblock = job->g.C + ic * job->g.ldc + col0 + j0;
            for (int64_t ir = 0; ir < mc; ir += mr) {
                int64_t m = mc - ir < mr ? mc - ir : mr;
                int in_place = job->direct_a && m == mr;
                const float *ap = in_place ? job->g.A + (ic + ir) * job->g.lda + pc : apack + ir * kc;
                run_tile(job, kc, beta, ap, in_place, bp, cblock + ir * job->g.ldc, m, n);
            }
        }
    }
}

/// Private mode: rows [row0, row1) x columns [col0, col1) of C on the calling thread, with its own packing
/// buffers. Serial calls use it for all of C; parallel calls give each thread one slice of rows or columns.
static void gemm_block(const gemm_job_t *job, int64_t row0, int64_t row1, int64_t col0, int64_t col1) {
    const int nr = job->kern->nr;
    float *apack = thread_buffer(0, (size_t)job->mc * (size_t)job->kc_max);
    float *bpack = thread_buffer(1, (size_t)job->kc_max * (size_t)job->nc_max);
    for (int64_t jc = col0; jc < col1; jc += job->nc_max) {
        int64_t nc = col1 - jc < job->nc_max ? col1 - jc : job->nc_max;
        for (int64_t pc = 0; pc < job->g.K; pc += job->kc_max) {
            int64_t kc = job->g.K - pc < job->kc_max ? job->g.K - pc : job->kc_max;
            if (job->direct_b) {  // B's rows are the panels already: tiles read them in place
                macro_kernel(job, row0, row1, jc, nc, pc, kc, pc == 0 ? job->g.beta : 1.0f,
                             job->g.B + pc * job->g.ldb + jc, apack);
                continue;
            }
            for (int64_t j0 = 0; j0 < nc; j0 += nr) {
                int64_t n = nc - j0 < nr ? nc - j0 : nr;
                pack_b_panel(job->g.transB, job->g.B, job->g.ldb, jc + j0, n, pc, kc, nr, bpack + j0 * kc);
            }
            macro_kernel(job, row0, row1, jc, nc, pc, kc, pc == 0 ? job->g.beta : 1.0f, bpack, apack);
        }
    }
}

/// Slices [begin, end) of `job->slices` near-equal runs of tiles: of row panels (`split_rows`) or of column
/// panels.
static void slices_range(void *ctx, int64_t begin, int64_t end) {
    const gemm_job_t *job = ctx;
    const int mr = job->kern->mr, nr = job->kern->nr;
    int64_t panels = job->split_rows ? (job->g.M + mr - 1) / mr : (job->g.N + nr - 1) / nr;
    for (int64_t s = begin; s < end; s++) {
        int64_t p0 = panels * s / job->slices, p1 = panels * (s + 1) / job->slices;
        if (job->split_rows) {
            int64_t row1 = p1 * mr < job->g.M ? p1 * mr : job->g.M;
            gemm_block(job, p0 * mr, row1, 0, job->g.N);
        } else {
            int64_t col1 = p1 * nr < job->g.N ? p1 * nr : job->g.N;
            gemm_block(job, 0, job->g.M, p0 * nr, col1);
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
    gemm_job_t job = {.kern = kern, .g = {transA != 0, transB != 0, M, N, K, alpha, beta, A, lda, B, ldb, C, ldc}};
    // Small products (at most 256 rows) of an untransposed B in whole panels read B in place: packing it
    // would copy all of B to use each panel M/mr times (DQN's 64x256x256 backward: 4 times).
    job.direct_b = !transB && kern->kernel_strided != NULL && N % kern->nr == 0 && M <= TK_GEMM_DIRECT_B_MAX_M;
    // and read an untransposed A's full row panels in place: the tile's broadcasts load one value each either way.
    job.direct_a = !transA && kern->kernel_strided != NULL && M <= TK_GEMM_DIRECT_B_MAX_M;
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
        gemm_block(&job, 0, M, 0, N);
    } else {
        // Each thread packs what it needs itself, so no packed panel is read across cores: split the larger
        // of M and N (the other operand, packed again by every thread, is the smaller one). Up to 2 slices per
        // thread, claimed at run time.
        job.split_rows = (M > N && m_panels >= threads) || n_panels < threads;
        int64_t panels = job.split_rows ? m_panels : n_panels;
        job.slices = panels >= 4 * threads ? 2 * threads : threads;
        tk_parallel_for_chunks(job.slices, job.slices, slices_range, &job);
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
