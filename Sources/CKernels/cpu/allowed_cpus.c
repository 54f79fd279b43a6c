// See include/fathom_cpus.h.
#define _GNU_SOURCE
#include "fathom_cpus.h"

#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#endif

long fathom_allowed_cpu_count(void) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        long allowed = CPU_COUNT(&set);
        if (allowed > 0 && (online <= 0 || allowed < online)) return allowed;
    }
#endif
    return online > 0 ? online : 1;
}
