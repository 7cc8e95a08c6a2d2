// Runtime services of the kernel layer: CPU features, the worker pool, BLAS discovery.
#ifndef TK_RUNTIME_H
#define TK_RUNTIME_H
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The widest SIMD level the running CPU supports and the kernels use: "avx512", "avx2" or "scalar".
const char *tk_simd_level(void);
/// Lowers (or restores, with NULL) the SIMD level the kernels dispatch to: "avx512", "avx2" or "scalar".
/// Returns 0 and changes nothing when the CPU lacks that level. For tests and comparisons; the default is
/// the widest level, or the one `TRAINKIT_SIMD` names.
int tk_simd_set_level(const char *level);

/// Number of worker threads (including the caller) used by parallel kernels. Default: online CPUs
/// (or `TRAINKIT_NUM_THREADS`). Also forwarded to a loaded BLAS so the two never oversubscribe.
void tk_set_num_threads(int n);
int tk_get_num_threads(void);

/// Runs `fn(ctx, begin, end)` over [0, n) split into at most `tk_get_num_threads()` contiguous chunks of
/// at least `grain` items each. Runs inline when one chunk suffices. Not reentrant from inside `fn`
/// (a nested call runs inline).
typedef void (*tk_range_fn)(void *ctx, int64_t begin, int64_t end);
void tk_parallel_for(int64_t n, int64_t grain, tk_range_fn fn, void *ctx);
/// Like tk_parallel_for, but cuts [0, n) into `chunks` near-equal contiguous ranges (at most n) whatever the
/// thread count; the caller and the workers claim them one at a time, so a thread slowed down by another
/// process on its core ends up with fewer. For load balancing: each chunk costs one atomic claim.
void tk_parallel_for_chunks(int64_t n, int64_t chunks, tk_range_fn fn, void *ctx);

/// Restricts every thread of this process (and threads it starts later) to the first `n` CPUs of its current
/// affinity mask, as `taskset -c 0..n-1` would. Returns the number of CPUs now allowed, or -1 on failure
/// (always -1 on systems without `sched_setaffinity`).
int tk_pin_to_first_cpus(int n);

/// The BLAS in use: e.g. "openblas (libopenblas.so.0)" or "none". Loaded lazily with dlopen on first use:
/// `TRAINKIT_BLAS=path` picks a library, `TRAINKIT_BLAS=none` disables BLAS.
const char *tk_blas_name(void);
/// Loads (or with "none", unloads) a BLAS explicitly; returns 1 when a BLAS with cblas_sgemm is now in use.
/// A path that cannot be loaded (or lacks cblas_sgemm) returns 0 and leaves the previous choice in place.
int tk_blas_load(const char *path_or_none);

#ifdef __cplusplus
}
#endif
#endif
