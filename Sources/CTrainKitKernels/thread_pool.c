// The worker pool behind tk_parallel_for: persistent pthreads, started lazily, that spin briefly after each
// job and then sleep on a condition variable.
//
// One job at a time. A job is [0, n) cut into `chunks` contiguous ranges; the caller and the workers claim
// ranges with a compare-and-swap on one 64-bit word, (generation << 32) | next-range-index, so a worker that
// wakes late finds nothing left and the caller never waits for a sleeping thread: it runs the unclaimed
// ranges itself. The job descriptor (fn, ctx, n, chunks) is published seqlock-style: the caller marks the word
// CLOSED before it rewrites the descriptor, so a claim succeeds only against the descriptor it was read with.
//
// The caller runs ranges too, then spins for the last ones and blocks after TRAINKIT_SPIN_US (the worker
// finishing the last range signals it).
//
// Calls from inside a chunk (on a worker or on the calling thread), and calls made while another thread owns
// the pool, run inline on the calling thread.
//
// Before a BLAS call, tk_pool_park sends spinning workers to sleep, so they do not take cores from the BLAS's
// own threads (the next tk_parallel_for wakes them; the caller starts on the ranges meanwhile).
//
// Environment: TRAINKIT_NUM_THREADS (default: CPUs in the affinity mask), TRAINKIT_SPIN_US (how long an idle
// worker spins before it sleeps, default 100 µs).
#include "tk_runtime.h"
#include "tk_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

#define TK_MAX_THREADS 256
#define CLOSED 0xFFFFFFFFu

// MARK: - Thread count

static _Atomic int requested_threads = 0;  // 0 until initialised
static pthread_once_t threads_once = PTHREAD_ONCE_INIT;
static int64_t spin_ns = 100 * 1000;

static int default_thread_count(void) {
    const char *env = getenv("TRAINKIT_NUM_THREADS");
    if (env != NULL) {
        int n = atoi(env);
        if (n >= 1) return n > TK_MAX_THREADS ? TK_MAX_THREADS : n;
    }
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n >= 1) return n > TK_MAX_THREADS ? TK_MAX_THREADS : n;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > TK_MAX_THREADS ? TK_MAX_THREADS : (int)n);
}

static void init_thread_count(void) {
    const char *spin = getenv("TRAINKIT_SPIN_US");
    if (spin != NULL && atoi(spin) >= 0) spin_ns = (int64_t)atoi(spin) * 1000;
    int expected = 0;
    atomic_compare_exchange_strong(&requested_threads, &expected, default_thread_count());
}

int tk_get_num_threads(void) {
    pthread_once(&threads_once, init_thread_count);
    return atomic_load_explicit(&requested_threads, memory_order_relaxed);
}

void tk_set_num_threads(int n) {
    pthread_once(&threads_once, init_thread_count);
    if (n < 1) n = 1;
    if (n > TK_MAX_THREADS) n = TK_MAX_THREADS;
    // The pool itself is resized by the next tk_parallel_for (under the submit lock).
    atomic_store_explicit(&requested_threads, n, memory_order_relaxed);
    tk_blas_set_threads_internal(n);
}

// MARK: - Pool state

static pthread_mutex_t submit_lock = PTHREAD_MUTEX_INITIALIZER;  // held by the thread that owns the pool
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleep_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;  // the caller waits here for a slow last range
static _Atomic int caller_waiting = 0;

static pthread_t workers[TK_MAX_THREADS];
static int worker_count = 0;          // guarded by submit_lock
static _Atomic int shutting_down = 0;
static _Atomic int sleepers = 0;
static _Atomic unsigned park_epoch = 0;  // bumped by tk_pool_park: spinning workers go to sleep at once

// The current job. Descriptor fields are relaxed atomics (see the seqlock note at the top).
static _Atomic uint64_t job_word = CLOSED;  // generation 0, closed
static _Atomic(tk_range_fn) job_fn = NULL;
static _Atomic(void *) job_ctx = NULL;
static _Atomic int64_t job_n = 0;
static _Atomic int64_t job_chunks = 0;
static _Atomic int64_t chunks_done = 0;
static uint32_t generation = 0;  // guarded by submit_lock

static _Thread_local int in_parallel = 0;

int tk_in_parallel_region(void) { return in_parallel; }

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/// Claims and runs ranges of the job whose word was read as `word` until none is left or the job changes.
static void run_claims(uint64_t word) {
    uint32_t gen = (uint32_t)(word >> 32);
    tk_range_fn fn = atomic_load_explicit(&job_fn, memory_order_relaxed);
    void *ctx = atomic_load_explicit(&job_ctx, memory_order_relaxed);
    int64_t n = atomic_load_explicit(&job_n, memory_order_relaxed);
    int64_t chunks = atomic_load_explicit(&job_chunks, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    for (;;) {
        uint32_t index = (uint32_t)word;
        if ((uint32_t)(word >> 32) != gen || index == CLOSED || (int64_t)index >= chunks) return;
        if (atomic_compare_exchange_weak_explicit(&job_word, &word, word + 1, memory_order_acq_rel,
                                                  memory_order_acquire)) {
            // Range `index` of `chunks` near-equal ranges: the first n % chunks get one item more.
            int64_t q = n / chunks, r = n % chunks, i = (int64_t)index;
            int64_t begin = i * q + (i < r ? i : r);
            fn(ctx, begin, begin + q + (i < r ? 1 : 0));
            if (atomic_fetch_add(&chunks_done, 1) + 1 == chunks && atomic_load(&caller_waiting)) {
                pthread_mutex_lock(&sleep_lock);
                pthread_cond_signal(&done_cond);
                pthread_mutex_unlock(&sleep_lock);
            }
            word += 1;
        }
    }
}

static void *worker_main(void *arg) {
    (void)arg;
    in_parallel = 1;
    uint32_t seen = (uint32_t)(atomic_load_explicit(&job_word, memory_order_acquire) >> 32);
    for (;;) {
        // Spin for new work, then sleep.
        int64_t deadline = now_ns() + spin_ns;
        unsigned epoch = atomic_load_explicit(&park_epoch, memory_order_relaxed);
        uint64_t word;
        for (unsigned spins = 0;; spins++) {
            word = atomic_load_explicit(&job_word, memory_order_acquire);
            if ((uint32_t)(word >> 32) != seen || atomic_load_explicit(&shutting_down, memory_order_relaxed))
                break;
            cpu_relax();
            if ((spins & 63) == 63 &&
                (now_ns() > deadline || atomic_load_explicit(&park_epoch, memory_order_relaxed) != epoch)) {
                pthread_mutex_lock(&sleep_lock);
                atomic_fetch_add(&sleepers, 1);
                while ((uint32_t)(atomic_load(&job_word) >> 32) == seen && !atomic_load(&shutting_down))
                    pthread_cond_wait(&sleep_cond, &sleep_lock);
                atomic_fetch_sub(&sleepers, 1);
                pthread_mutex_unlock(&sleep_lock);
                deadline = now_ns() + spin_ns;
                epoch = atomic_load_explicit(&park_epoch, memory_order_relaxed);
            }
        }
        if (atomic_load_explicit(&shutting_down, memory_order_relaxed)) return NULL;
        seen = (uint32_t)(word >> 32);
        run_claims(word);
    }
}

void tk_pool_park(void) { atomic_fetch_add_explicit(&park_epoch, 1, memory_order_relaxed); }

static void wake_sleepers(void) {
    if (atomic_load(&sleepers) == 0) return;
    pthread_mutex_lock(&sleep_lock);
    pthread_cond_broadcast(&sleep_cond);
    pthread_mutex_unlock(&sleep_lock);
}

/// Stops every worker. Caller holds submit_lock.
static void stop_pool(void) {
    if (worker_count == 0) return;
    atomic_store(&shutting_down, 1);
    pthread_mutex_lock(&sleep_lock);
    pthread_cond_broadcast(&sleep_cond);
    pthread_mutex_unlock(&sleep_lock);
    for (int i = 0; i < worker_count; i++) pthread_join(workers[i], NULL);
    worker_count = 0;
    atomic_store(&shutting_down, 0);
}

/// Makes the pool have exactly `count` workers. Caller holds submit_lock.
static void resize_pool(int count) {
    if (count == worker_count) return;
    stop_pool();
    for (int i = 0; i < count; i++) {
        if (pthread_create(&workers[i], NULL, worker_main, NULL) != 0) break;
        worker_count = i + 1;
    }
}

static void reset_after_fork(void) {
    // Only the forking thread survives in the child: forget the workers, reinitialise the locks.
    pthread_mutex_init(&submit_lock, NULL);
    pthread_mutex_init(&sleep_lock, NULL);
    pthread_cond_init(&sleep_cond, NULL);
    pthread_cond_init(&done_cond, NULL);
    atomic_store(&caller_waiting, 0);
    worker_count = 0;
    atomic_store(&sleepers, 0);
    atomic_store(&shutting_down, 0);
    in_parallel = 0;
}

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;
static void install_fork_handler(void) { pthread_atfork(NULL, NULL, reset_after_fork); }

// MARK: - tk_parallel_for

/// Waits until every range of the current job is done: spins a while, then blocks, so that a worker that lost
/// its core to another process can be moved to the caller's core instead of waiting for its time slice.
static void wait_for_chunks(int64_t chunks) {
    for (unsigned spins = 0; spins < 4096; spins++) {
        if (atomic_load_explicit(&chunks_done, memory_order_acquire) >= chunks) return;
        cpu_relax();
    }
    int64_t deadline = now_ns() + spin_ns;
    while (now_ns() < deadline) {
        for (int i = 0; i < 64; i++) {
            if (atomic_load_explicit(&chunks_done, memory_order_acquire) >= chunks) return;
            cpu_relax();
        }
    }
    pthread_mutex_lock(&sleep_lock);
    atomic_store(&caller_waiting, 1);
    while (atomic_load(&chunks_done) < chunks) pthread_cond_wait(&done_cond, &sleep_lock);
    atomic_store(&caller_waiting, 0);
    pthread_mutex_unlock(&sleep_lock);
}

/// Runs `fn` over [0, n) cut into `chunks` ranges on the pool, or inline when the pool is not available.
static void run_job(int64_t n, int64_t chunks, int threads, tk_range_fn fn, void *ctx) {
    if (threads <= 1 || chunks <= 1 || in_parallel || pthread_mutex_trylock(&submit_lock) != 0) {
        int outer = in_parallel;
        in_parallel = outer || chunks > 1;  // nested calls from this chunk run inline too
        fn(ctx, 0, n);
        in_parallel = outer;
        return;
    }
    pthread_once(&fork_once, install_fork_handler);
    resize_pool(threads - 1);

    // Publish: descriptor first, then the word with a fresh generation and index 0.
    atomic_store_explicit(&job_fn, fn, memory_order_relaxed);
    atomic_store_explicit(&job_ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&job_n, n, memory_order_relaxed);
    atomic_store_explicit(&job_chunks, chunks, memory_order_relaxed);
    atomic_store_explicit(&chunks_done, 0, memory_order_relaxed);
    generation += 1;
    if (generation == 0) generation = 1;
    uint64_t word = (uint64_t)generation << 32;
    atomic_store(&job_word, word);  // seq_cst: ordered before the sleepers check
    wake_sleepers();

    in_parallel = 1;
    run_claims(word);
    in_parallel = 0;
    wait_for_chunks(chunks);

    // Close the job before any later call rewrites the descriptor.
    atomic_store_explicit(&job_word, word | CLOSED, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    pthread_mutex_unlock(&submit_lock);
}

void tk_parallel_for(int64_t n, int64_t grain, tk_range_fn fn, void *ctx) {
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    int threads = tk_get_num_threads();
    int64_t chunks = n / grain;
    if (chunks > threads) chunks = threads;
    run_job(n, chunks, threads, fn, ctx);
}

void tk_parallel_for_chunks(int64_t n, int64_t chunks, tk_range_fn fn, void *ctx) {
    if (n <= 0) return;
    if (chunks > n) chunks = n;
    if (chunks > (1 << 30)) chunks = 1 << 30;
    run_job(n, chunks, tk_get_num_threads(), fn, ctx);
}
