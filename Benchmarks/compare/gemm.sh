#!/usr/bin/env bash
# Fathom's GEMM paths against OpenBLAS's kernel for the same instruction set and against
# PyTorch's torch.mm (MKL), 2 threads each, on squares and ResNet-18's layer shapes.
#
#   Benchmarks/compare/gemm.sh                 # ~10 min on an idle 2-core machine
#   ROUNDS=1 Benchmarks/compare/gemm.sh
#
# `fathom-bench gemm` runs once per OpenBLAS kernel: OPENBLAS_CORETYPE is set for that process
# only (SkylakeX: AVX-512, Haswell: AVX2+FMA, Prescott: SSE3 — the one Debian's 0.3.21 falls
# back to on CPUs it does not know), and a kernel this CPU cannot run is not asked for. Each of
# those runs also times every Fathom path, so Fathom gets one sample per run; PyTorch runs
# after them in each round. The table shows medians; ratios are Fathom's best path against
# MKL, and each Fathom path against OpenBLAS's kernel for its ISA.
set -euo pipefail
out="${OUT:-$(mktemp -t fathom-gemm.XXXXXX)}"
rounds="${ROUNDS:-2}"

source "$(dirname "$0")/prepare.sh"

cores="Prescott"
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && cores="$cores Haswell"
grep -qw avx512f /proc/cpuinfo && cores="$cores SkylakeX"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
     "$("$python" -c 'import torch; print("torch", torch.__version__)')" > "$out"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
for _ in $(seq "$rounds"); do
    for core in $cores; do
        OPENBLAS_CORETYPE=$core "$bench" gemm | tee -a "$out" >&2
    done
    "$python" "$here/torch_gemm.py" "$out" | tee -a "$out" >&2
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
"$python" "$here/gemm_table.py" "$out"
echo "(raw lines: $out)"
