// Convolution and pooling helpers (see tk_conv.h), instantiated for float and double from conv_impl.inc.
// Inner loops run over contiguous rows so the compiler vectorizes them; TK_VEC builds AVX-512, AVX2 and
// baseline clones chosen at load time. Work above ~32k elements is split across the worker pool.
#include "tk_conv.h"
#include "tk_elementwise.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <math.h>
#include <string.h>

/* Elements of work per chunk handed to the pool. */
#define TK_CONV_GRAIN 32768
/* Fixed image chunks of the fused backward: its weight-gradient partials are summed in chunk order. */
#define TK_CONV_CHUNKS 8

/// The grid positions `o` in `[lo, hi)` for which `o·stride + offset` lies in `[0, size)`.
static void valid_range(int64_t size, int64_t grid, int64_t stride, int64_t offset, int64_t *lo, int64_t *hi) {
    int64_t l = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    int64_t h = size - offset <= 0 ? 0 : (size - offset + stride - 1) / stride;
    if (l > grid) l = grid;
    if (h < l) h = l;
    if (h > grid) h = grid;
    *lo = l;
    *hi = h;
}

/// Items per chunk so that each chunk carries about TK_CONV_GRAIN elements of work.
static int64_t grain_for(int64_t work_per_item) {
    if (work_per_item < 1) work_per_item = 1;
    int64_t g = (TK_CONV_GRAIN + work_per_item - 1) / work_per_item;
    return g < 1 ? 1 : g;
}

#define T float
#define S f32
#include "conv_impl.inc"
#include "conv_fused_impl.inc"
#undef T
#undef S

#define T double
#define S f64
#include "conv_impl.inc"
#include "conv_fused_impl.inc"
#undef T
#undef S
