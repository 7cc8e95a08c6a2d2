// Row normalization (layer norm) over contiguous [rows, d], float32 (f32) and float64 (f64).
#ifndef TK_NORM_H
#define TK_NORM_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// y = (x - μ)·r·w + b per row, μ the row mean, r = 1/√(σ² + eps) (biased variance); w, b are [d] or NULL.
/// Writes y [rows, d] and stats [rows, 2] = (μ, r) for the backward. Rows are split across the pool.
void tk_layer_norm_f32(int64_t rows, int64_t d, const float *x, const float *w, const float *b, double eps, float *y,
                       float *stats);
void tk_layer_norm_f64(int64_t rows, int64_t d, const double *x, const double *w, const double *b, double eps,
                       double *y, double *stats);

/// Backward with x̂ = (x - μ)·r and dŷ = g·w (g when w is NULL):
///   dx = r·(dŷ - mean(dŷ) - x̂·mean(dŷ·x̂)),  dw = Σ_rows g·x̂,  db = Σ_rows g.
/// dw and db ([d], may be NULL) are summed over fixed blocks of rows in a fixed order, so they do not depend
/// on the thread count.
void tk_layer_norm_backward_f32(int64_t rows, int64_t d, const float *x, const float *w, const float *stats,
                                const float *g, float *dx, float *dw, float *db);
void tk_layer_norm_backward_f64(int64_t rows, int64_t d, const double *x, const double *w, const double *stats,
                                const double *g, double *dx, double *dw, double *db);

#ifdef __cplusplus
}
#endif
#endif
