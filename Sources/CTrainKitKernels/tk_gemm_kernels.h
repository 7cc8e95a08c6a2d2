// Register-blocked sgemm microkernels and their cache-blocking parameters (gemm_kernels_*.c), used by the
// packed driver in gemm_builtin.c.
#ifndef TK_GEMM_KERNELS_H
#define TK_GEMM_KERNELS_H
#include <stdint.h>

/// The largest tile any kernel uses (rows x columns), for edge-tile scratch space.
#define TK_MAX_MR 16
#define TK_MAX_NR 32

/// C[mr x nr] = alpha * Ap * Bp + beta * C, where Ap is a packed A micro-panel (for each of `kc` steps, `mr`
/// consecutive row values) and Bp a packed B micro-panel (for each step, `nr` consecutive column values,
/// 64-byte aligned). C is row-major with row stride `ldc`; when beta == 0, C is written without being read.
typedef void (*tk_sgemm_ukernel_fn)(int64_t kc, const float *Ap, const float *Bp, float *C, int64_t ldc,
                                    float alpha, float beta);

/// A microkernel and the blocking that suits it: `mc` rows of A (a multiple of mr) and `kc` steps are packed
/// at a time (the A block stays in L2), `nc` columns of B (a multiple of nr; the B block stays in L3).
/// The same tile with A and B read in place: row r of step k of A at `A[r*rs + k*ks]` (packed: rs = 1, ks = mr;
/// an untransposed A: rs = lda, ks = 1), and for each of `kc` steps `nr` consecutive values of B at `B + k*ldb`
/// (any alignment; packed: ldb = nr). The same arithmetic as the packed kernel.
typedef void (*tk_sgemm_ukernel_strided_fn)(int64_t kc, const float *A, int64_t rs, int64_t ks, const float *B,
                                            int64_t ldb, float *C, int64_t ldc, float alpha, float beta);

typedef struct {
    const char *name;
    int mr, nr;
    int64_t mc, kc, nc;
    tk_sgemm_ukernel_fn kernel;
    /// NULL when the kernel has no in-place form (the driver then always packs A and B).
    tk_sgemm_ukernel_strided_fn kernel_strided;
} tk_sgemm_kernel_t;

/// NULL when the kernel was not compiled for this architecture.
const tk_sgemm_kernel_t *tk_sgemm_kernel_avx512(void);
const tk_sgemm_kernel_t *tk_sgemm_kernel_avx2(void);
/// Portable C; always available.
const tk_sgemm_kernel_t *tk_sgemm_kernel_generic(void);

/// The arguments of one sgemm call (shapes and strides as in tk_gemm.h), for jobs handed to the pool.
typedef struct {
    int transA, transB;
    int64_t M, N, K;
    float alpha, beta;
    const float *A;
    int64_t lda;
    const float *B;
    int64_t ldb;
    float *C;
    int64_t ldc;
} tk_sgemm_args_t;

/// Products with at most this many rows of C skip the packed path (gemm_small.c).
#define TK_SMALL_M 4

/// C = alpha * op(A) * op(B) + beta * C for M <= TK_SMALL_M, without packing B (gemm_small.c); `simd_level` is a
/// TK_SIMD_* value.
void tk_sgemm_small_m(int simd_level, int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc);

/// The same for any M, in blocks of TK_SMALL_M rows (split across the pool when large enough): for products too
/// small or too narrow (N well below the microkernel's width) to repay packing.
void tk_sgemm_small_rows(int simd_level, int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                         const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C,
                         int64_t ldc);

/// Packs `count` source rows (row stride `ld`), each contiguous over `kc` steps, transposed into [kc][w]:
/// dst[k*w + r] = src[r*ld + k], lanes count..w-1 zero (gemm_pack.c).
void tk_pack_interleave(const float *src, int64_t ld, int64_t count, int64_t kc, int w, float *dst);
/// Copies `kc` source rows (stride `ld`) of `count` values into [kc][w]: dst[k*w + r] = src[k*ld + r], lanes
/// count..w-1 zero.
void tk_pack_copy(const float *src, int64_t ld, int64_t count, int64_t kc, int w, float *dst);

#endif
