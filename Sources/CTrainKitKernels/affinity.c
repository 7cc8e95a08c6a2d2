// CPU pinning for benchmarks: restrict the whole process to the first N CPUs it may run on.
#include "tk_runtime.h"

#if defined(__linux__)
#include <dirent.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int tk_pin_to_first_cpus(int n) {
    cpu_set_t current, wanted;
    if (n < 1 || sched_getaffinity(0, sizeof current, &current) != 0) return -1;
    CPU_ZERO(&wanted);
    int taken = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && taken < n; cpu++) {
        if (CPU_ISSET(cpu, &current)) {
            CPU_SET(cpu, &wanted);
            taken += 1;
        }
    }
    // sched_setaffinity(0) only moves the calling thread: also move every thread that already exists
    // (runtime threads, a BLAS pool started at load); threads started later inherit the mask.
    if (sched_setaffinity(0, sizeof wanted, &wanted) != 0) return -1;
    DIR *tasks = opendir("/proc/self/task");
    if (tasks != NULL) {
        struct dirent *entry;
        while ((entry = readdir(tasks)) != NULL) {
            if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
            pid_t tid = (pid_t)atoi(entry->d_name);
            sched_setaffinity(tid, sizeof wanted, &wanted);
        }
        closedir(tasks);
    }
    return taken;
}
#else
int tk_pin_to_first_cpus(int n) {
    (void)n;
    return -1;
}
#endif
