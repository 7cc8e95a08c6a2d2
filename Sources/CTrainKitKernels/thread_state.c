// Per-thread state of the tensor layer: the autograd switch and the global random stream's position.
#include "tk_elementwise.h"

static _Thread_local int grad_disabled = 0;
int tk_grad_enabled(void) { return !grad_disabled; }
void tk_set_grad_enabled(int enabled) { grad_disabled = !enabled; }

static _Thread_local uint64_t random_seed = 0, random_drawn = 0;
void tk_random_state_get(uint64_t *seed, uint64_t *drawn) { *seed = random_seed; *drawn = random_drawn; }
void tk_random_state_set(uint64_t seed, uint64_t drawn) { random_seed = seed; random_drawn = drawn; }
