#!/usr/bin/env bash
# Fathom against PyTorch and ONNX Runtime (CPU, 2 threads, batch 32) on the same workloads; prints one table.
#
#   Benchmarks/compare/run.sh                          # every row, 3 rounds (~30 min on an idle machine)
#   ROUNDS=1 WORKLOADS="cnn28_train resnet18_128_infer" Benchmarks/compare/run.sh
#   SCRATCH=.build-perf Benchmarks/compare/run.sh      # reuse another build folder
#
# Creates Benchmarks/compare/.venv on first use (setup.sh), builds `fathom-bench` in release,
# then runs every workload in its own process — Fathom, PyTorch NCHW, PyTorch channels-last,
# and one stronger anchor: PyTorch channels-last under bfloat16 autocast for the *_train rows,
# ONNX Runtime (the same model exported with torch.onnx.export, then timed with 2 intra-op
# threads in a process without torch) for the *_infer rows — one after the other, never
# concurrently, so that each peak RSS is that workload's alone; ROUNDS times over, all
# alternating, and the table shows the medians (one run on a shared machine can be 20 % off
# either way).
# Table columns: Fathom images/s (its GEMM kernels' instruction set, the `isa=` of its lines, in
# the header, or a column when rows differ), PyTorch NCHW and channels-last float32 images/s,
# "Fathom / best PyTorch" over those two float32 layouts only, then the anchors, reported but no
# part of "best": "PyTorch bf16" (training rows), "ONNX Runtime" and "Fathom / ONNX Runtime"
# (inference rows), empty where a row has no such anchor; then peak RSS of Fathom and of the
# faster float32 PyTorch layout, their ratio, and the number of rounds.
# The raw `bench=…` lines go to $OUT (default: a temporary file) and the table to stdout.
# Not part of CI. Timings are only comparable on a quiet machine: the load average is printed
# before and after, and PyTorch's OpenMP threads, which spin at barriers, slow down many times
# over (not proportionally) when other processes hold the cores (ONNX Runtime's threads spin too).
set -euo pipefail
out="${OUT:-$(mktemp -t fathom-compare.XXXXXX)}"
rounds="${ROUNDS:-3}"
workloads="${WORKLOADS:-cnn28_train cnn128_train resnet18_128_train resnet18_128_infer resnet18_224_train resnet18_224_infer effnet_lite0_224_infer data_loading_128}"

source "$(dirname "$0")/prepare.sh"

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
     "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}," \
     "$("$python" -c 'import torch, onnxruntime; print(f"torch {torch.__version__}, onnxruntime {onnxruntime.__version__}")')" > "$out"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
for workload in $workloads; do
    case "$workload" in  # torch_bench.py's modes: float32 layouts, then the row's anchor
        data_loading_*) modes="nchw" ;;  # no layout: one row
        *_train) modes="nchw channels_last bf16" ;;
        *_infer) modes="nchw channels_last onnxruntime" ;;
        *) modes="nchw channels_last" ;;
    esac
    for _ in $(seq "$rounds"); do
        "$bench" compare "$workload" | tee -a "$out" >&2
        for mode in $modes; do
            "$python" "$here/torch_bench.py" "$workload" "$mode" | tee -a "$out" >&2
        done
    done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"

"$python" "$here/table.py" "$out"
echo "(raw lines: $out)"
