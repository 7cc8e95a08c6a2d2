// Layer norm kernels (tk_norm.h), instantiated for float and double from layer_norm_impl.inc. Loops are
// written so the compiler vectorizes them; rows go to the pool in blocks of TK_NORM_BLOCK.
#include "tk_norm.h"
#include "tk_internal.h"
#include "tk_runtime.h"

#include <math.h>
#include <string.h>

/// Rows per block: the unit of work and of the partial weight/bias gradient sums.
#define TK_NORM_BLOCK 64

#define T float
#define S f32
#define SQRT sqrtf
#include "layer_norm_impl.inc"
#undef T
#undef S
#undef SQRT

#define T double
#define S f64
#define SQRT sqrt
#include "layer_norm_impl.inc"
