// Indexing kernels: row selection by an int64 index and its scatter-add adjoint, torch.gather and its
// adjoint, and element selection by a bool mask. Forward kernels check every index before writing anything
// and return the position of the first bad one (or -1), so index tensors never travel to the caller.
#ifndef TK_INDEX_H
#define TK_INDEX_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// dst[o, j, :] = src[o, index[j], :] for src [outer, extent, inner], dst [outer, count, inner], elements of
/// elem_size bytes. Returns the first j whose index is outside [0, extent) (writing nothing), else -1.
int64_t tk_index_select(int elem_size, int64_t outer, int64_t extent, int64_t inner, const void *src,
                        const int64_t *index, int64_t count, void *dst);
/// dst[o, index[j], :] += src[o, j, :] (indices trusted), in order of j.
void tk_index_add_f32(int64_t outer, int64_t extent, int64_t inner, const float *src, const int64_t *index,
                      int64_t count, float *dst);
void tk_index_add_f64(int64_t outer, int64_t extent, int64_t inner, const double *src, const int64_t *index,
                      int64_t count, double *dst);
/// torch.gather: for each position p of the contiguous index (shape[ndim]), dst[p] = src at p with p[dim]
/// replaced by index[p], through src_strides. Returns the first bad position (writing nothing), else -1.
int64_t tk_gather(int elem_size, int ndim, const int64_t *shape, const int64_t *index, int dim, int64_t extent,
                  const void *src, const int64_t *src_strides, void *dst);
/// The adjoint: dst at p with p[dim] = index[p] (through dst_strides) += src[p], in order of p.
void tk_scatter_add_f32(int ndim, const int64_t *shape, const int64_t *index, int dim, const float *src,
                        float *dst, const int64_t *dst_strides);
void tk_scatter_add_f64(int ndim, const int64_t *shape, const int64_t *index, int dim, const double *src,
                        double *dst, const int64_t *dst_strides);
/// out[i] = cond[i] ? a[i] : b[i] over n contiguous elements of elem_size bytes.
void tk_select(int elem_size, int64_t n, const uint8_t *cond, const void *a, const void *b, void *out);

#ifdef __cplusplus
}
#endif
#endif
