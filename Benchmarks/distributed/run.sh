#!/usr/bin/env bash
# Data-parallel scaling on one machine (issue #17): 2 processes × 1 thread against 1 process ×
# 2 threads, on the compact CNN and ResNet-18 training steps at 128 px (global batch 32), and
# the gradient all-reduce alone. Run on a QUIET machine (nothing else building or training).
#
#   Benchmarks/distributed/run.sh [SCRATCH_PATH]      (default .build)
#
# Needs openmpi-bin. As root, mpirun needs --allow-run-as-root. Each rank is bound to one core
# (--bind-to core, Open MPI's default for two processes, made explicit), so FATHOM_THREADS is
# not needed there: Fathom uses the CPUs it is bound to.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch="${1:-.build}"
swift build -c release --scratch-path "$scratch" --product fathom-bench
bench="$scratch/release/fathom-bench"
mpirun=(mpirun --allow-run-as-root -np 2 --bind-to core --map-by core)

lscpu | grep -E 'Model name|^CPU\(s\)'
for round in 1 2 3; do
    echo "# round $round: 1 process × 2 threads"
    FATHOM_THREADS=2 "$bench" distributed
    echo "# round $round: 2 processes × 1 thread"
    "${mpirun[@]}" "$bench" distributed
done
echo "# the all-reduce alone, 2 processes"
"${mpirun[@]}" "$bench" distributed allreduce
