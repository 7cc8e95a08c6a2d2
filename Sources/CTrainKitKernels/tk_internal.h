// Declarations shared between the kernel files; not part of the public headers.
#ifndef TK_INTERNAL_H
#define TK_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

enum { TK_SIMD_SCALAR = 0, TK_SIMD_AVX2 = 1, TK_SIMD_AVX512 = 2 };

/// The selected SIMD level as a TK_SIMD_* value (cpu_features.c).
int tk_simd_level_id(void);
/// The TK_SIMD_* value for "avx512", "avx2" or "scalar" when this CPU supports it, else -1.
int tk_simd_level_id_named(const char *name);

/// TK_VEC on a kernel function builds AVX-512, AVX2 and baseline clones of it, chosen at load time (clang on
/// x86-64 Linux; elsewhere one baseline build). Helpers it calls are compiled for the clone only when inlined.
/// Under ThreadSanitizer it builds the baseline only: the clones' ifunc resolvers run while the dynamic loader
/// relocates the executable, before the TSan runtime is initialised, and the function-entry hook TSan puts in
/// them crashes every process at load (SIGSEGV in __tsan_func_entry from im2col_rows_f32's resolver).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TK_TSAN 1
#endif
#endif
#if defined(__x86_64__) && defined(__linux__) && defined(__clang__) && !defined(TK_TSAN)
#define TK_VEC __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TK_VEC
#endif

/// Token pasting for the kernels instantiated per element type from one *_impl.inc (CAT(name_, S) -> name_f32).
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

/// Forwards a thread count to the loaded BLAS, if any (blas_loader.c).
void tk_blas_set_threads_internal(int n);

/// Sends spinning pool workers to sleep now (before handing the cores to a multi-threaded BLAS).
void tk_pool_park(void);

/// 1 while the calling thread runs inside a tk_parallel_for chunk (thread_pool.c).
int tk_in_parallel_region(void);

/// 64-byte aligned allocation and its release (never returns NULL: aborts on failure).
void *tk_aligned_alloc(size_t bytes);
void tk_aligned_free(void *p);

/// C = beta * C over [M, N] rows of stride ldc; beta == 0 writes zeros without reading C (gemm_builtin.c).
void tk_scale_matrix(int64_t M, int64_t N, float beta, float *C, int64_t ldc);

/// Blocking overrides for tuning runs (0 = the kernel's default). Not for production use.
typedef struct {
    int64_t mc, kc, nc;
} tk_gemm_blocking_t;
extern tk_gemm_blocking_t tk_gemm_blocking_override;

#endif
