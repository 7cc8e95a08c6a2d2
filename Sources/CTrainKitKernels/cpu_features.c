// CPU feature detection: which SIMD level the kernels dispatch to.
//
// The level is detected once (`__builtin_cpu_supports`, which also checks that the OS saves the wide
// registers) and cached. `TRAINKIT_SIMD=avx2|scalar` (or `tk_simd_set_level`) lowers it, never raises it
// above what the CPU supports, so every kernel variant can be tested on one machine.
#include "tk_runtime.h"
#include "tk_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"scalar", "avx2", "avx512"};

/// -1 until the first query.
static _Atomic int detected_level = -1;
static _Atomic int selected_level = -1;

static int detect_hardware_level(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return TK_SIMD_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return TK_SIMD_AVX2;
#endif
    return TK_SIMD_SCALAR;
}

static int level_from_name(const char *name) {
    if (name == NULL) return -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(name, level_names[i]) == 0) return i;
    return -1;
}

static int hardware_level(void) {
    int level = atomic_load_explicit(&detected_level, memory_order_acquire);
    if (level < 0) {
        level = detect_hardware_level();
        atomic_store_explicit(&detected_level, level, memory_order_release);
    }
    return level;
}

int tk_simd_level_id(void) {
    int level = atomic_load_explicit(&selected_level, memory_order_acquire);
    if (level >= 0) return level;
    level = hardware_level();
    int requested = level_from_name(getenv("TRAINKIT_SIMD"));
    if (requested >= 0 && requested < level) level = requested;
    atomic_store_explicit(&selected_level, level, memory_order_release);
    return level;
}

const char *tk_simd_level(void) { return level_names[tk_simd_level_id()]; }

int tk_simd_set_level(const char *level) {
    int hardware = hardware_level();
    int requested = level == NULL ? hardware : level_from_name(level);
    if (requested < 0 || requested > hardware) return 0;
    atomic_store_explicit(&selected_level, requested, memory_order_release);
    return 1;
}

int tk_simd_level_id_named(const char *name) {
    int level = level_from_name(name);
    return level >= 0 && level <= hardware_level() ? level : -1;
}
