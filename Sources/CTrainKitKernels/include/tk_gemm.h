// GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, op(X) = X or Xᵀ.
// Shapes: op(A) is [M, K], op(B) is [K, N], C is [M, N]; lda/ldb/ldc are row strides in elements.
#ifndef TK_GEMM_H
#define TK_GEMM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The built-in packed kernel, or the loaded BLAS when TRAINKIT_SGEMM=blas (see gemm_dispatch.c).
void tk_sgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
              const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc);
/// The built-in blocked, packed, multi-threaded kernel (never calls BLAS).
void tk_sgemm_builtin(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc);
/// 1 when tk_sgemm sends products to the BLAS (TRAINKIT_SGEMM=blas and a BLAS with sgemm is loaded).
int tk_sgemm_uses_blas(void);
/// The built-in kernel with the microkernel of one SIMD level ("avx512", "avx2" or "scalar") whatever
/// tk_simd_level() says, for tests and comparisons. Returns 0 (and computes nothing) when the CPU lacks it.
int tk_sgemm_builtin_level(const char *simd_level, int transA, int transB, int64_t M, int64_t N, int64_t K,
                           float alpha, const float *A, int64_t lda, const float *B, int64_t ldb, float beta,
                           float *C, int64_t ldc);
/// The microkernel tk_sgemm_builtin uses now, e.g. "avx2 6x16".
const char *tk_sgemm_builtin_kernel_name(void);
/// BLAS only: returns 0 (and does nothing) when no BLAS is loaded, 1 after computing. Also returns 0 when the
/// strides break the CBLAS rules (lda < columns of the stored A, ...) or a size exceeds the BLAS's integers.
int tk_sgemm_blas(int transA, int transB, int64_t M, int64_t N, int64_t K, float alpha,
                  const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C, int64_t ldc);
/// `batch` independent products C_b = alpha * op(A_b) * op(B_b) + beta * C_b, where X_b starts `strideX` elements
/// after X_{b-1} (a batched matmul, e.g. attention's per-head products). Small products run one per worker
/// (each on one thread, the batch split across the pool); large ones one after another through tk_sgemm.
void tk_sgemm_batched(int transA, int transB, int64_t batch, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t strideA, int64_t lda, const float *B, int64_t strideB, int64_t ldb,
                      float beta, float *C, int64_t strideC, int64_t ldc);
/// Float64 GEMM (references and gradient checks): BLAS dgemm when loaded, else a simple blocked loop.
void tk_dgemm(int transA, int transB, int64_t M, int64_t N, int64_t K, double alpha,
              const double *A, int64_t lda, const double *B, int64_t ldb, double beta, double *C, int64_t ldc);

#ifdef __cplusplus
}
#endif
#endif
