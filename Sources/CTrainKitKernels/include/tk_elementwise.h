// Element-wise, reduction, softmax and copy kernels for float32 (f32) and float64 (f64).
// Every kernel writes a contiguous output. Strides are in elements. Large work is split across the
// worker pool (tk_parallel_for); small work runs on the calling thread.
#ifndef TK_ELEMENTWISE_H
#define TK_ELEMENTWISE_H
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TK_ADD = 0, TK_SUB, TK_MUL, TK_DIV, TK_MAXIMUM, TK_MINIMUM, TK_POW,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE   // comparisons write 1.0 / 0.0 (see tk_compare_* for bool)
} tk_binary_op;

typedef enum {
    TK_NEG = 0, TK_EXP, TK_LOG, TK_SQRT, TK_ABS, TK_SQUARE, TK_RELU, TK_SIGMOID, TK_TANH, TK_SILU,
    TK_GELU, TK_GELU_TANH, TK_SOFTPLUS, TK_LEAKY_RELU, TK_ELU, TK_CLAMP, TK_POW_SCALAR, TK_SIGN,
    TK_RECIPROCAL, TK_SIN, TK_COS, TK_ERF, TK_ADD_SCALAR, TK_MUL_SCALAR, TK_STEP /* x > p0 ? 1 : 0 */
} tk_unary_op;

/// out[i] = a[ia] op b[ib] over an `ndim`-dimensional index space `shape` (ndim >= 1), with per-operand
/// strides (0 for broadcast dims). `out` is contiguous with `shape`.
void tk_binary_f32(int op, int ndim, const int64_t *shape, const float *a, const int64_t *astrides,
                   const float *b, const int64_t *bstrides, float *out);
void tk_binary_f64(int op, int ndim, const int64_t *shape, const double *a, const int64_t *astrides,
                   const double *b, const int64_t *bstrides, double *out);
/// Comparisons into a bool (uint8) output, same indexing as tk_binary_*.
void tk_compare_f32(int op, int ndim, const int64_t *shape, const float *a, const int64_t *astrides,
                    const float *b, const int64_t *bstrides, uint8_t *out);
void tk_compare_f64(int op, int ndim, const int64_t *shape, const double *a, const int64_t *astrides,
                    const double *b, const int64_t *bstrides, uint8_t *out);

/// out[i] = f(x[i]) over n contiguous elements. p0, p1: op parameters (slope, alpha, beta/threshold,
/// clamp bounds (NaN = none), exponent, scalar).
void tk_unary_f32(int op, int64_t n, const float *x, float *out, double p0, double p1);
void tk_unary_f64(int op, int64_t n, const double *x, double *out, double p0, double p1);
/// gx[i] = g[i] * f'(x[i]) (using y = f(x) where cheaper), contiguous, same ops and parameters.
void tk_unary_backward_f32(int op, int64_t n, const float *x, const float *y, const float *g, float *gx,
                           double p0, double p1);
void tk_unary_backward_f64(int op, int64_t n, const double *x, const double *y, const double *g, double *gx,
                           double p0, double p1);

/// Reduction of a contiguous [outer, reduce, inner] block over the middle axis into [outer, inner]. Max and min
/// need reduce >= 1; a NaN in the slice gives NaN (as torch.amax).
typedef enum { TK_RSUM = 0, TK_RMAX, TK_RMIN, TK_RPROD } tk_reduce_op;
void tk_reduce_f32(int op, int64_t outer, int64_t reduce, int64_t inner, const float *x, float *out);
void tk_reduce_f64(int op, int64_t outer, int64_t reduce, int64_t inner, const double *x, double *out);
/// Index of the first maximum (minimum) along the middle axis of [outer, reduce, inner] (int64 output
/// [outer, inner]); a NaN counts as the extreme, so the first NaN wins (as torch.argmax).
void tk_argmax_f32(int64_t outer, int64_t reduce, int64_t inner, const float *x, int64_t *out, int is_min);
void tk_argmax_f64(int64_t outer, int64_t reduce, int64_t inner, const double *x, int64_t *out, int is_min);

/// Softmax / log-softmax over the last axis of contiguous [rows, cols].
void tk_softmax_f32(int64_t rows, int64_t cols, const float *x, float *y, int log);
void tk_softmax_f64(int64_t rows, int64_t cols, const double *x, double *y, int log);
/// Backward: softmax gx = y * (g - Σ g·y); log-softmax gx = g - exp(y) * Σ g.
void tk_softmax_backward_f32(int64_t rows, int64_t cols, const float *y, const float *g, float *gx, int log);
void tk_softmax_backward_f64(int64_t rows, int64_t cols, const double *y, const double *g, double *gx, int log);

/// Copies a strided view into a contiguous buffer; element size 1, 2, 4 or 8 bytes.
void tk_copy_strided(int elem_size, int ndim, const int64_t *shape, const void *src, const int64_t *strides,
                     void *dst);
/// Copies a contiguous buffer into a strided destination view (the inverse of tk_copy_strided).
void tk_copy_to_strided(int elem_size, int ndim, const int64_t *shape, const void *src, void *dst,
                        const int64_t *dst_strides);
/// Fills n elements of `elem_size` bytes with the pattern at `value`.
void tk_fill(int elem_size, int64_t n, void *dst, const void *value);
/// dst[i] += src[i] (contiguous accumulate), n elements.
void tk_accumulate_f32(int64_t n, const float *src, float *dst);
void tk_accumulate_f64(int64_t n, const double *src, double *dst);
/// Converts between dtypes: codes 0 f32, 1 f64, 2 i32, 3 i64, 4 bool(u8). Contiguous n elements. The same
/// dtype is a copy (bool → bool writes 0 or 1); between integers and bool the values are exact (int64 → int32
/// keeps the low 32 bits); float → int truncates toward zero.
void tk_convert(int from, int to, int64_t n, const void *src, void *dst);

/// Size-bucketed buffer pool (64-byte aligned). Freed buffers are kept for reuse up to a byte cap.
void *tk_pool_alloc(int64_t bytes);
void tk_pool_free(void *ptr, int64_t bytes);
/// Bytes currently cached in the pool and lifetime allocation counts (hits, misses) for tests and benches.
void tk_pool_stats(int64_t *cached_bytes, int64_t *hits, int64_t *misses);
void tk_pool_trim(void);
/// 64-byte aligned memory straight from the system at its size (not pooled); aborts with a message when out of
/// memory. For buffers that last a whole run (optimizer state).
void *tk_aligned_alloc(size_t bytes);
void tk_aligned_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
