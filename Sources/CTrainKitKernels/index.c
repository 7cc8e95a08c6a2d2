// Indexing kernels (tk_index.h). Plain loops: these ops move little data next to the GEMMs around them.
#include "tk_index.h"
#include <string.h>

int64_t tk_index_select(int elem_size, int64_t outer, int64_t extent, int64_t inner, const void *src,
                        const int64_t *index, int64_t count, void *dst) {
    for (int64_t j = 0; j < count; j++)
        if (index[j] < 0 || index[j] >= extent) return j;
    const size_t row = (size_t)(inner * elem_size);
    const char *s = (const char *)src;
    char *d = (char *)dst;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t j = 0; j < count; j++)
            memcpy(d + (size_t)(o * count + j) * row, s + (size_t)(o * extent + index[j]) * row, row);
    return -1;
}

#define INDEX_ADD(NAME, T)                                                                                    \
    void NAME(int64_t outer, int64_t extent, int64_t inner, const T *src, const int64_t *index, int64_t count,  \
              T *dst) {                                                                                       \
        for (int64_t o = 0; o < outer; o++)                                                                   \
            for (int64_t j = 0; j < count; j++) {                                                             \
                const T *s = src + (o * count + j) * inner;                                                   \
                T *t = dst + (o * extent + index[j]) * inner;                                                 \
                for (int64_t k = 0; k < inner; k++) t[k] += s[k];                                             \
            }                                                                                                 \
    }
INDEX_ADD(tk_index_add_f32, float)
INDEX_ADD(tk_index_add_f64, double)

// Offset (in elements, through `strides`) of position p with p[dim] replaced by `i`, for the row-major
// position `flat` of `shape`.
static int64_t gather_offset(int ndim, const int64_t *shape, const int64_t *strides, int dim, int64_t flat,
                             int64_t i) {
    int64_t off = 0;
    for (int r = ndim - 1; r >= 0; r--) {
        int64_t c = shape[r] > 0 ? flat % shape[r] : 0;
        flat = shape[r] > 0 ? flat / shape[r] : 0;
        off += (r == dim ? i : c) * strides[r];
    }
    return off;
}

static int64_t element_count(int ndim, const int64_t *shape) {
    int64_t n = 1;
    for (int r = 0; r < ndim; r++) n *= shape[r];
    return n;
}

int64_t tk_gather(int elem_size, int ndim, const int64_t *shape, const int64_t *index, int dim, int64_t extent,
                  const void *src, const int64_t *src_strides, void *dst) {
    const int64_t n = element_count(ndim, shape);
    for (int64_t p = 0; p < n; p++)
        if (index[p] < 0 || index[p] >= extent) return p;
    const char *s = (const char *)src;
    char *d = (char *)dst;
    for (int64_t p = 0; p < n; p++) {
        int64_t off = gather_offset(ndim, shape, src_strides, dim, p, index[p]);
        memcpy(d + (size_t)(p * elem_size), s + (size_t)(off * elem_size), (size_t)elem_size);
    }
    return -1;
}

#define SCATTER_ADD(NAME, T)                                                                                  \
    void NAME(int ndim, const int64_t *shape, const int64_t *index, int dim, const T *src, T *dst,             \
              const int64_t *dst_strides) {                                                                   \
        const int64_t n = element_count(ndim, shape);                                                         \
        for (int64_t p = 0; p < n; p++) dst[gather_offset(ndim, shape, dst_strides, dim, p, index[p])] += src[p]; \
    }
SCATTER_ADD(tk_scatter_add_f32, float)
SCATTER_ADD(tk_scatter_add_f64, double)

void tk_select(int elem_size, int64_t n, const uint8_t *cond, const void *a, const void *b, void *out) {
    const char *pa = (const char *)a, *pb = (const char *)b;
    char *o = (char *)out;
    switch (elem_size) {
    case 4:
        for (int64_t i = 0; i < n; i++) ((uint32_t *)o)[i] = cond[i] ? ((const uint32_t *)pa)[i] : ((const uint32_t *)pb)[i];
        break;
    case 8:
        for (int64_t i = 0; i < n; i++) ((uint64_t *)o)[i] = cond[i] ? ((const uint64_t *)pa)[i] : ((const uint64_t *)pb)[i];
        break;
    default:
        for (int64_t i = 0; i < n; i++)
            memcpy(o + i * elem_size, (cond[i] ? pa : pb) + i * elem_size, (size_t)elem_size);
    }
}
