// Buffer pool: power-of-two size classes from 64 B to 1 GiB, a global free list per class guarded by a
// spin lock. Steady-state training allocates the same sizes every step, so after the first step every
// tensor buffer comes from here instead of malloc.
//
// Under AddressSanitizer the pool tells ASan what it knows: a cached block is poisoned while it sits in a free
// list (a use after the tensor's storage was freed is reported, not read from the next tensor's buffer), and
// the bytes of a size class beyond the requested size are poisoned (an over-read of a tensor is reported even
// when it stays inside the rounded-up block).
#include "tk_elementwise.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TK_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TK_ASAN 1
#endif
#if defined(TK_ASAN)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (size_t)(n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (size_t)(n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define TK_POOL_CLASSES 25            /* 2^6 .. 2^30 bytes */
#define TK_POOL_MIN_SHIFT 6
#define TK_POOL_CAP_BYTES (1LL << 30) /* at most 1 GiB kept cached */

typedef struct tk_free_block { struct tk_free_block *next; } tk_free_block;

static tk_free_block *free_lists[TK_POOL_CLASSES];
static atomic_flag pool_lock = ATOMIC_FLAG_INIT;
static int64_t cached_bytes = 0;
static _Atomic int64_t pool_hits = 0, pool_misses = 0;

static inline void lock(void) { while (atomic_flag_test_and_set_explicit(&pool_lock, memory_order_acquire)) {} }
static inline void unlock(void) { atomic_flag_clear_explicit(&pool_lock, memory_order_release); }

static int size_class(int64_t bytes) {
    int c = 0;
    int64_t size = 1LL << TK_POOL_MIN_SHIFT;
    while (size < bytes) { size <<= 1; c++; }
    return c;
}

void *tk_pool_alloc(int64_t bytes) {
    if (bytes <= 0) bytes = 1;
    int c = size_class(bytes);
    if (c >= TK_POOL_CLASSES) {
        void *p = NULL;
        if (posix_memalign(&p, 64, (size_t)bytes) != 0) return NULL;
        return p;
    }
    int64_t size = 1LL << (c + TK_POOL_MIN_SHIFT);
    lock();
    tk_free_block *b = free_lists[c];
    if (b) {
        UNPOISON(b, size);
        free_lists[c] = b->next;
        cached_bytes -= size;
        unlock();
        POISON((char *)b + bytes, size - bytes);
        atomic_fetch_add_explicit(&pool_hits, 1, memory_order_relaxed);
        return b;
    }
    unlock();
    atomic_fetch_add_explicit(&pool_misses, 1, memory_order_relaxed);
    void *p = NULL;
    if (posix_memalign(&p, 64, (size_t)size) != 0) return NULL;
    POISON((char *)p + bytes, size - bytes);
    return p;
}

void tk_pool_free(void *ptr, int64_t bytes) {
    if (!ptr) return;
    if (bytes <= 0) bytes = 1;
    int c = size_class(bytes);
    if (c >= TK_POOL_CLASSES) { free(ptr); return; }
    int64_t size = 1LL << (c + TK_POOL_MIN_SHIFT);
    UNPOISON(ptr, size);
    lock();
    if (cached_bytes + size > TK_POOL_CAP_BYTES) { unlock(); free(ptr); return; }
    tk_free_block *b = (tk_free_block *)ptr;
    b->next = free_lists[c];
    free_lists[c] = b;
    cached_bytes += size;
    POISON(b, size);
    unlock();
}

void tk_pool_stats(int64_t *cached, int64_t *hits, int64_t *misses) {
    lock();
    if (cached) *cached = cached_bytes;
    unlock();
    if (hits) *hits = atomic_load(&pool_hits);
    if (misses) *misses = atomic_load(&pool_misses);
}

void tk_pool_trim(void) {
    lock();
    for (int c = 0; c < TK_POOL_CLASSES; c++) {
        tk_free_block *b = free_lists[c];
        while (b) {
            UNPOISON(b, 1LL << (c + TK_POOL_MIN_SHIFT));
            tk_free_block *n = b->next;
            free(b);
            b = n;
        }
        free_lists[c] = NULL;
    }
    cached_bytes = 0;
    unlock();
}
