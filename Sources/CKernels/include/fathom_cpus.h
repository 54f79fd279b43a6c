#ifndef FATHOM_CPUS_H
#define FATHOM_CPUS_H

/// The number of CPUs this process may run on: its affinity mask (which `taskset`, cgroups'
/// cpusets and `mpirun --bind-to core` narrow), or the online CPUs where there is no mask.
long fathom_allowed_cpu_count(void);

#endif
