// MPI through dlopen (see tk_mpi.h). Handles are kept as intptr_t: an address for Open MPI, an integer
// constant for the MPICH ABI; on every supported platform both go in one integer register, and each call
// goes through a function pointer typed for the implementation found.
#include "tk_mpi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef int (*init_fn)(int *, char ***);
typedef int (*initialized_fn)(int *);
typedef int (*comm_int_fn)(intptr_t, int *);
typedef int (*allreduce_fn)(const void *, void *, int, intptr_t, intptr_t, intptr_t);
typedef int (*bcast_fn)(void *, int, intptr_t, int, intptr_t);
typedef int (*allgather_fn)(const void *, int, intptr_t, void *, int, intptr_t, intptr_t);
typedef int (*barrier_fn)(intptr_t);
typedef int (*abort_fn)(intptr_t, int);
typedef int (*finalize_fn)(void);

static struct {
    void *handle;
    char name[96];
    init_fn init;
    initialized_fn initialized;
    comm_int_fn comm_rank, comm_size;
    allreduce_fn allreduce;
    bcast_fn bcast;
    allgather_fn allgather;
    barrier_fn barrier;
    abort_fn abort;
    finalize_fn finalize;
    intptr_t comm_world, op_sum, types[3];
    void *in_place;
    int rank, size, started;
} mpi;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char last_error[512] = "";

const char *tk_mpi_library_name(void) { return mpi.handle ? mpi.name : ""; }
const char *tk_mpi_last_error(void) { return last_error; }

static int resolve(void *h, const char *file) {
#define SYM(field, type, name)                                                                        \
    mpi.field = (type)dlsym(h, name);                                                                 \
    if (mpi.field == NULL) {                                                                          \
        snprintf(last_error, sizeof last_error, "%s: has no symbol %s (not an MPI library?)", file, name); \
        return -1;                                                                                    \
    }
    SYM(init, init_fn, "MPI_Init")
    SYM(initialized, initialized_fn, "MPI_Initialized")
    SYM(comm_rank, comm_int_fn, "MPI_Comm_rank")
    SYM(comm_size, comm_int_fn, "MPI_Comm_size")
    SYM(allreduce, allreduce_fn, "MPI_Allreduce")
    SYM(bcast, bcast_fn, "MPI_Bcast")
    SYM(allgather, allgather_fn, "MPI_Allgather")
    SYM(barrier, barrier_fn, "MPI_Barrier")
    SYM(abort, abort_fn, "MPI_Abort")
    SYM(finalize, finalize_fn, "MPI_Finalize")
#undef SYM
    void *world = dlsym(h, "ompi_mpi_comm_world");
    if (world != NULL) {
        // Open MPI: MPI_COMM_WORLD is &ompi_mpi_comm_world, and so on; MPI_IN_PLACE is (void *)1.
        const char *names[] = {"ompi_mpi_op_sum", "ompi_mpi_float", "ompi_mpi_double", "ompi_mpi_byte"};
        void *found[4];
        for (int i = 0; i < 4; i++) {
            found[i] = dlsym(h, names[i]);
            if (found[i] == NULL) {
                snprintf(last_error, sizeof last_error, "%s: Open MPI without the symbol %s", file, names[i]);
                return -1;
            }
        }
        mpi.comm_world = (intptr_t)world;
        mpi.op_sum = (intptr_t)found[0];
        mpi.types[TK_MPI_FLOAT32] = (intptr_t)found[1];
        mpi.types[TK_MPI_FLOAT64] = (intptr_t)found[2];
        mpi.types[TK_MPI_BYTE] = (intptr_t)found[3];
        mpi.in_place = (void *)1;
        snprintf(mpi.name, sizeof mpi.name, "openmpi %s", file);
    } else {
        // The MPICH ABI (MPICH, Intel MPI, MVAPICH): handles are integers from mpi.h; MPI_IN_PLACE is (void *)-1.
        mpi.comm_world = 0x44000000;
        mpi.op_sum = 0x58000003;
        mpi.types[TK_MPI_FLOAT32] = 0x4c00040a;
        mpi.types[TK_MPI_FLOAT64] = 0x4c00080b;
        mpi.types[TK_MPI_BYTE] = 0x4c00010d;
        mpi.in_place = (void *)-1;
        snprintf(mpi.name, sizeof mpi.name, "mpich %s", file);
    }
    return 0;
}

int tk_mpi_load(const char *path) {
    pthread_mutex_lock(&lock);
    if (mpi.handle != NULL) {
        pthread_mutex_unlock(&lock);
        return 0;
    }
    last_error[0] = 0;
    const char *env = getenv("TRAINKIT_MPI_LIBRARY");
    const char *defaults[] = {"libmpi.so.40", "libmpi.so.12", "libmpi.so"};
    const char *candidates[4];
    int n = 0;
    if (path != NULL && path[0] != 0) {
        candidates[n++] = path;
    } else if (env != NULL && env[0] != 0) {
        candidates[n++] = env;  // the user's choice, alone
    } else {
        for (int i = 0; i < 3; i++) candidates[n++] = defaults[i];
    }
    char tried[384] = "";
    int result = -1;
    for (int i = 0; i < n && result != 0; i++) {
        // RTLD_GLOBAL: Open MPI's own plugins resolve libmpi's symbols from the global scope.
        void *h = dlopen(candidates[i], RTLD_NOW | RTLD_GLOBAL);
        if (h == NULL) {
            size_t used = strlen(tried);
            snprintf(tried + used, sizeof tried - used, "%s%s", used ? ", " : "", candidates[i]);
            continue;
        }
        if (resolve(h, candidates[i]) == 0) {
            mpi.handle = h;
            result = 0;
        } else {
            dlclose(h);
        }
    }
    if (result != 0 && last_error[0] == 0) {
        snprintf(last_error, sizeof last_error, "no MPI library could be loaded (tried %s)", tried);
    }
    pthread_mutex_unlock(&lock);
    return result;
}

// MARK: - watchdog

static _Atomic double timeout_seconds = 0;
static _Atomic double collective_started = 0;  // 0: not in a collective
static _Atomic(const char *) collective_name = NULL;
static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *watchdog(void *unused) {
    (void)unused;
    for (;;) {
        usleep(200 * 1000);
        double limit = atomic_load(&timeout_seconds), started = atomic_load(&collective_started);
        if (limit <= 0 || started == 0) continue;
        if (now_seconds() - started > limit) {
            fprintf(stderr,
                    "trainkit: error: DistributedError.collectiveTimeout: rank %d of %d waited more than %g s in %s; "
                    "another rank has probably died or stopped (TRAINKIT_DIST_TIMEOUT sets the limit)\n",
                    mpi.rank, mpi.size, limit, atomic_load(&collective_name));
            fflush(stderr);
            _exit(75);
        }
    }
    return NULL;
}

static void start_watchdog(void) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, watchdog, NULL) == 0) pthread_detach(thread);
}

void tk_mpi_set_timeout(double seconds) {
    atomic_store(&timeout_seconds, seconds);
    if (seconds > 0) pthread_once(&watchdog_once, start_watchdog);
}

static void enter(const char *name) {
    atomic_store(&collective_name, name);
    atomic_store(&collective_started, now_seconds());
}
static void leave(void) { atomic_store(&collective_started, 0); }

// MARK: - calls

#define NEED_MPI                                                                  \
    if (mpi.handle == NULL || !mpi.started) {                                     \
        snprintf(last_error, sizeof last_error, "MPI is not loaded and started"); \
        return -1;                                                                \
    }

int tk_mpi_init(int *rank, int *size) {
    if (mpi.handle == NULL) {
        snprintf(last_error, sizeof last_error, "MPI is not loaded");
        return -1;
    }
    pthread_mutex_lock(&lock);
    int rc = 0;
    if (!mpi.started) {
        int already = 0;
        mpi.initialized(&already);
        if (!already) rc = mpi.init(NULL, NULL);
        if (rc == 0) rc = mpi.comm_rank(mpi.comm_world, &mpi.rank);
        if (rc == 0) rc = mpi.comm_size(mpi.comm_world, &mpi.size);
        if (rc == 0) mpi.started = 1;
        else snprintf(last_error, sizeof last_error, "MPI_Init failed with code %d", rc);
    }
    pthread_mutex_unlock(&lock);
    if (rank) *rank = mpi.rank;
    if (size) *size = mpi.size;
    return rc;
}

static size_t element_size(tk_mpi_dtype dtype) { return dtype == TK_MPI_FLOAT64 ? 8 : dtype == TK_MPI_FLOAT32 ? 4 : 1; }

/// MPI counts are `int`: larger buffers go in chunks of 2^30 elements.
static const size_t chunk = (size_t)1 << 30;

int tk_mpi_allreduce_sum(void *buffer, size_t count, tk_mpi_dtype dtype) {
    NEED_MPI
    enter("all-reduce");
    int rc = 0;
    for (size_t done = 0; done < count && rc == 0; done += chunk) {
        size_t n = count - done < chunk ? count - done : chunk;
        rc = mpi.allreduce(mpi.in_place, (char *)buffer + done * element_size(dtype), (int)n, mpi.types[dtype],
                           mpi.op_sum, mpi.comm_world);
    }
    leave();
    return rc;
}

int tk_mpi_broadcast(void *buffer, size_t count, tk_mpi_dtype dtype, int root) {
    NEED_MPI
    enter("broadcast");
    int rc = 0;
    for (size_t done = 0; done < count && rc == 0; done += chunk) {
        size_t n = count - done < chunk ? count - done : chunk;
        rc = mpi.bcast((char *)buffer + done * element_size(dtype), (int)n, mpi.types[dtype], root, mpi.comm_world);
    }
    leave();
    return rc;
}

int tk_mpi_allgather(const void *send, void *receive, size_t count, tk_mpi_dtype dtype) {
    NEED_MPI
    if (count > (size_t)0x7fffffff) {
        snprintf(last_error, sizeof last_error, "all-gather of %zu elements per rank: at most 2^31 - 1", count);
        return -1;
    }
    enter("all-gather");
    int rc = mpi.allgather(send, (int)count, mpi.types[dtype], receive, (int)count, mpi.types[dtype], mpi.comm_world);
    leave();
    return rc;
}

int tk_mpi_barrier(void) {
    NEED_MPI
    enter("barrier");
    int rc = mpi.barrier(mpi.comm_world);
    leave();
    return rc;
}

void tk_mpi_abort(int code) {
    if (mpi.handle != NULL && mpi.started) mpi.abort(mpi.comm_world, code);
    _exit(code);
}

int tk_mpi_finalize(void) {
    NEED_MPI
    // Not watched: rank 0 may still be writing reports while the others wait here.
    int rc = mpi.finalize();
    mpi.started = 0;
    return rc;
}
