// BLAS discovery with dlopen, on first use (pthread_once) or explicitly with tk_blas_load.
//
// Search order: `TRAINKIT_BLAS` (a path or soname, or "none" to disable), then OpenBLAS (libopenblas.so.0,
// libopenblas.so, the ILP64 libopenblas64_.so.0 whose symbols end in `64_`), BLIS (libblis.so.4, libblis.so),
// a generic libcblas.so.3 / libblas.so.3 when it exports cblas_sgemm, and on macOS Accelerate. The loaded
// library's thread count is set to tk_get_num_threads() so the pool and the BLAS never oversubscribe.
//
// Libraries are never unloaded: a kernel on another thread may still hold the old function pointers.
#include "tk_gemm.h"
#include "tk_runtime.h"
#include "tk_internal.h"
#include "tk_blas.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

/// The active BLAS; replaced as a whole (never mutated) so readers see a consistent set.
static _Atomic(const tk_blas_t *) active = NULL;
static tk_blas_t slots[8];  // one per successful load; a process loads a BLAS only a few times
static int slots_used = 0;
static const tk_blas_t none_blas = {.name = "none"};

static const char *const default_candidates[] = {
#if defined(__APPLE__)
    "/System/Library/Frameworks/Accelerate.framework/Accelerate",
#endif
    "libopenblas.so.0", "libopenblas.so", "libopenblas64_.so.0", "libblis.so.4", "libblis.so",
    "libcblas.so.3", "libblas.so.3",
};

static const char *basename_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/// Opens `path` and resolves the symbols into `out`. Returns 1 when cblas_sgemm is present.
static int try_open(const char *path, tk_blas_t *out) {
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) return 0;
    memset(out, 0, sizeof *out);
    out->sgemm = (tk_cblas_sgemm_fn)dlsym(handle, "cblas_sgemm");
    out->dgemm = (tk_cblas_dgemm_fn)dlsym(handle, "cblas_dgemm");
    if (out->sgemm == NULL) {
        // ILP64 OpenBLAS: 64-bit integers, suffixed symbols.
        out->sgemm64 = (tk_cblas_sgemm64_fn)dlsym(handle, "cblas_sgemm64_");
        out->dgemm64 = (tk_cblas_dgemm64_fn)dlsym(handle, "cblas_dgemm64_");
        out->openblas_set_threads = (void (*)(int))dlsym(handle, "openblas_set_num_threads64_");
        out->openblas_corename = (char *(*)(void))dlsym(handle, "openblas_get_corename64_");
        out->openblas_config = (char *(*)(void))dlsym(handle, "openblas_get_config64_");
        if (out->sgemm64 == NULL) {
            dlclose(handle);
            return 0;
        }
    } else {
        out->openblas_set_threads = (void (*)(int))dlsym(handle, "openblas_set_num_threads");
        out->openblas_corename = (char *(*)(void))dlsym(handle, "openblas_get_corename");
        out->openblas_config = (char *(*)(void))dlsym(handle, "openblas_get_config");
    }
    out->bli_set_threads = (void (*)(long))dlsym(handle, "bli_thread_set_num_threads");
    const char *(*bli_version)(void) = (const char *(*)(void))dlsym(handle, "bli_info_get_version_str");

    const char *file = basename_of(path);
    if (out->openblas_config != NULL || out->openblas_set_threads != NULL) {
        // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64" -> "0.3.21"
        char version[32] = "";
        const char *config = out->openblas_config ? out->openblas_config() : NULL;
        if (config != NULL) sscanf(config, "OpenBLAS %31s", version);
        const char *core = out->openblas_corename ? out->openblas_corename() : NULL;
        snprintf(out->name, sizeof out->name, "openblas%s%s (%s) %s", version[0] ? " " : "", version,
                 core ? core : "?", file);
    } else if (out->bli_set_threads != NULL || bli_version != NULL) {
        snprintf(out->name, sizeof out->name, "blis %s %s", bli_version ? bli_version() : "", file);
    } else if (strstr(path, "Accelerate") != NULL) {
        snprintf(out->name, sizeof out->name, "accelerate");
    } else {
        snprintf(out->name, sizeof out->name, "cblas %s", file);
    }
    out->handle = handle;
    return 1;
}

static void apply_threads(const tk_blas_t *blas, int n) {
    if (blas->openblas_set_threads) blas->openblas_set_threads(n);
    if (blas->bli_set_threads) blas->bli_set_threads(n);
}

/// Loads `path` (or disables BLAS for "none"). Caller holds load_lock. Returns 1 when a BLAS is active.
static int load_locked(const char *path) {
    if (strcmp(path, "none") == 0) {
        atomic_store(&active, &none_blas);
        return 0;
    }
    if (slots_used == (int)(sizeof slots / sizeof slots[0])) return 0;
    tk_blas_t *slot = &slots[slots_used];
    if (!try_open(path, slot)) return 0;
    slots_used += 1;
    apply_threads(slot, tk_get_num_threads());
    atomic_store(&active, slot);
    return 1;
}

static void load_default(void) {
    pthread_mutex_lock(&load_lock);
    const char *env = getenv("TRAINKIT_BLAS");
    int loaded = 0;
    if (env != NULL && env[0] != '\0') {
        loaded = load_locked(env);
        if (!loaded && strcmp(env, "none") != 0)
            fprintf(stderr, "TrainKit: TRAINKIT_BLAS=%s cannot be loaded or has no cblas_sgemm; "
                            "using the built-in GEMM\n", env);
    } else {
        size_t count = sizeof default_candidates / sizeof default_candidates[0];
        for (size_t i = 0; i < count && !loaded; i++) loaded = load_locked(default_candidates[i]);
    }
    if (!loaded) atomic_store(&active, &none_blas);
    pthread_mutex_unlock(&load_lock);
}

const tk_blas_t *tk_blas_current(void) {
    const tk_blas_t *blas = atomic_load_explicit(&active, memory_order_acquire);
    if (blas != NULL) return blas;
    pthread_once(&load_once, load_default);
    return atomic_load_explicit(&active, memory_order_acquire);
}

const char *tk_blas_name(void) { return tk_blas_current()->name; }

int tk_blas_load(const char *path_or_none) {
    pthread_once(&load_once, load_default);
    if (path_or_none == NULL) return 0;
    pthread_mutex_lock(&load_lock);
    int loaded = load_locked(path_or_none);
    pthread_mutex_unlock(&load_lock);
    return loaded;
}

void tk_blas_set_threads_internal(int n) {
    // Only a BLAS that is already loaded; loading later applies the count then.
    const tk_blas_t *blas = atomic_load_explicit(&active, memory_order_acquire);
    if (blas != NULL) apply_threads(blas, n);
}
