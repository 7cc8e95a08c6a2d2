// Aligned allocations for packing buffers and scratch space.
#include "tk_internal.h"

#include <stdio.h>
#include <stdlib.h>

void *tk_aligned_alloc(size_t bytes) {
    void *p = NULL;
    size_t rounded = (bytes + 63) & ~(size_t)63;
    if (posix_memalign(&p, 64, rounded ? rounded : 64) != 0 || p == NULL) {
        fprintf(stderr, "TrainKit: out of memory allocating %zu bytes\n", bytes);
        abort();
    }
    return p;
}

void tk_aligned_free(void *p) { free(p); }
