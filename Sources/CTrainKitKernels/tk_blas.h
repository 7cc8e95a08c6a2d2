// The dlopen'ed BLAS: resolved entry points (blas_loader.c), used by gemm_dispatch.c.
#ifndef TK_BLAS_H
#define TK_BLAS_H
#include <stdint.h>

enum { TK_CBLAS_ROW_MAJOR = 101, TK_CBLAS_NO_TRANS = 111, TK_CBLAS_TRANS = 112 };

typedef void (*tk_cblas_sgemm_fn)(int order, int transA, int transB, int M, int N, int K, float alpha,
                                  const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc);
typedef void (*tk_cblas_dgemm_fn)(int order, int transA, int transB, int M, int N, int K, double alpha,
                                  const double *A, int lda, const double *B, int ldb, double beta, double *C,
                                  int ldc);
/// ILP64 builds (libopenblas64_): the same calls with 64-bit integers.
typedef void (*tk_cblas_sgemm64_fn)(int order, int transA, int transB, int64_t M, int64_t N, int64_t K,
                                    float alpha, const float *A, int64_t lda, const float *B, int64_t ldb,
                                    float beta, float *C, int64_t ldc);
typedef void (*tk_cblas_dgemm64_fn)(int order, int transA, int transB, int64_t M, int64_t N, int64_t K,
                                    double alpha, const double *A, int64_t lda, const double *B, int64_t ldb,
                                    double beta, double *C, int64_t ldc);

typedef struct tk_blas {
    char name[128];
    void *handle;  // NULL for "none"
    tk_cblas_sgemm_fn sgemm;      // LP64 (32-bit int) entry points ...
    tk_cblas_dgemm_fn dgemm;
    tk_cblas_sgemm64_fn sgemm64;  // ... or ILP64 ones
    tk_cblas_dgemm64_fn dgemm64;
    void (*openblas_set_threads)(int);
    char *(*openblas_corename)(void);
    char *(*openblas_config)(void);
    void (*bli_set_threads)(long);
} tk_blas_t;

/// The active BLAS (loading it on first use); `name` is "none" and every entry NULL when there is none.
const tk_blas_t *tk_blas_current(void);

#endif
