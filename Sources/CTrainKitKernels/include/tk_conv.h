// Convolution and pooling kernels for float32 (f32) and float64 (f64): im2col / col2im, a fused
// image-by-image convolution (bias and ReLU included) with its backward, and max pooling with argmax.
// Every kernel writes its whole output (no accumulation into the caller's buffer) and splits large work
// across the worker pool.
#ifndef TK_CONV_H
#define TK_CONV_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An image batch `[batch, channels, height, width]` (contiguous), a window `kernel_h × kernel_w` with
/// stride, zero padding and dilation, and the grid `[out_h, out_w]` of window positions:
/// `out = ⌊(size + 2·pad - dilation·(kernel - 1) - 1) / stride⌋ + 1`.
typedef struct {
    int64_t batch, channels, height, width;
    int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
    int64_t out_h, out_w;
} tk_conv_geometry;

/// im2col: `x [N, C, H, W] -> cols [C·kH·kW, N·oH·oW]`,
/// `cols[(c·kH + i)·kW + j][(n·oH + oy)·oW + ox] = x[n, c, oy·sH - pH + i·dH, ox·sW - pW + j·dW]` (0 outside).
void tk_im2col_f32(const tk_conv_geometry *g, const float *x, float *cols);
void tk_im2col_f64(const tk_conv_geometry *g, const double *x, double *cols);
/// col2im, the adjoint of im2col: `cols [C·kH·kW, N·oH·oW] -> x [N, C, H, W]`, overlapping patches summed.
void tk_col2im_f32(const tk_conv_geometry *g, const float *cols, float *x);
void tk_col2im_f64(const tk_conv_geometry *g, const double *cols, double *x);

/// Fused convolution (groups 1), image by image: `y[n] = act(W · im2col(x[n]) + bias)`, W `[Cout, K]`
/// (`K = C·kH·kW`), y `[N, Cout, oH·oW]`; `bias` may be NULL; act is ReLU (`max(v, 0)`) when `relu` is 1.
void tk_conv2d_forward_f32(const tk_conv_geometry *g, int64_t cout, const float *x, const float *w,
                           const float *bias, int relu, float *y);
void tk_conv2d_forward_f64(const tk_conv_geometry *g, int64_t cout, const double *x, const double *w,
                           const double *bias, int relu, double *y);
/// Its backward, with `gz[n] = gy[n] · [y[n] > 0]` (the factor only when `y` is not NULL, i.e. after a fused
/// ReLU): `gw = Σ_n gz[n] · im2col(x[n])ᵀ`, `gbias[o] = Σ_{n, l} gz[n, o, l]`, `gx[n] = col2im(Wᵀ · gz[n])`.
/// Each output is skipped when NULL. Sums run in a fixed order, whatever the thread count.
void tk_conv2d_backward_f32(const tk_conv_geometry *g, int64_t cout, const float *x, const float *w,
                            const float *gy, const float *y, float *gx, float *gw, float *gbias);
void tk_conv2d_backward_f64(const tk_conv_geometry *g, int64_t cout, const double *x, const double *w,
                            const double *gy, const double *y, double *gx, double *gw, double *gbias);

/// Max pooling over `batch·channels` planes: `y[p, oy, ox] = max` of the window (padding is -∞), and
/// `argmax[p, oy, ox]` = the index `y·W + x` of that element inside plane p (the first maximum in row-major
/// window order; a NaN wins and the last NaN is kept, as in PyTorch), or -1 for a window with no element.
void tk_maxpool2d_f32(const tk_conv_geometry *g, const float *x, float *y, int32_t *argmax);
void tk_maxpool2d_f64(const tk_conv_geometry *g, const double *x, double *y, int32_t *argmax);
/// Max pooling's backward: `gx[p, argmax[p, k]] += gy[p, k]`, gx `[batch·channels, H·W]` starting from 0.
void tk_maxpool2d_backward_f32(const tk_conv_geometry *g, const float *gy, const int32_t *argmax, float *gx);
void tk_maxpool2d_backward_f64(const tk_conv_geometry *g, const double *gy, const int32_t *argmax, double *gx);

#ifdef __cplusplus
}
#endif
#endif
