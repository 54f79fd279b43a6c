#!/usr/bin/env bash
# Fathom against PyTorch (CPU, 2 threads, batch 32) on the same workloads; prints one table.
#
#   Benchmarks/compare/run.sh                          # every row, 3 rounds (~20 min on an idle machine)
#   ROUNDS=1 WORKLOADS="cnn28_train resnet18_128_infer" Benchmarks/compare/run.sh
#   SCRATCH=.build-perf Benchmarks/compare/run.sh      # reuse another build folder
#
# Creates Benchmarks/compare/.venv on first use (setup.sh), builds `fathom-bench` in release,
# then runs every workload in its own process — Fathom, PyTorch NCHW, PyTorch channels-last,
# one after the other, never concurrently — so that each peak RSS is that workload's alone;
# ROUNDS times over, the three alternating, and the table shows the medians (one run on a
# shared machine can be 20 % off either way).
# The raw `bench=…` lines go to $OUT (default: a temporary file) and the table to stdout.
# Not part of CI. Timings are only comparable on a quiet machine: the load average is printed
# before and after, and PyTorch's OpenMP threads, which spin at barriers, slow down many times
# over (not proportionally) when other processes hold the cores.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="${SCRATCH:-.build}"
out="${OUT:-$(mktemp -t fathom-compare.XXXXXX)}"
rounds="${ROUNDS:-3}"
workloads="${WORKLOADS:-cnn28_train cnn128_train resnet18_128_train resnet18_128_infer resnet18_224_train resnet18_224_infer effnet_lite0_224_infer data_loading_128}"

"$here/setup.sh" >&2
python="$here/.venv/bin/python"
(cd "$root" && swift build -c release --scratch-path "$scratch" --product fathom-bench >&2)
bench="$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)/fathom-bench"

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
     "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, $("$python" -c 'import torch; print("torch", torch.__version__)')" > "$out"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
for workload in $workloads; do
    for _ in $(seq "$rounds"); do
        "$bench" compare "$workload" | tee -a "$out" >&2
        layouts="nchw channels_last"
        [[ "$workload" == data_loading_* ]] && layouts="nchw"  # no layout: one row
        for layout in $layouts; do
            "$python" "$here/torch_bench.py" "$workload" "$layout" | tee -a "$out" >&2
        done
    done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"

"$python" "$here/table.py" "$out"
echo "(raw lines: $out)"
