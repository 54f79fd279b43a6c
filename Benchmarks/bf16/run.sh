#!/usr/bin/env bash
# Builds and runs the bfloat16 GEMM prototype (bf16_gemm.c) against Fathom's float32 AVX-512
# path, one core. Needs clang (the Swift toolchain's) and a CPU with AVX512_BF16; elsewhere it
# says so and exits 0.   Benchmarks/bf16/run.sh [N]   (N a multiple of 384; default 1536)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kernels="$here/../../Sources/CKernels"
out="$(mktemp -d)/bf16_gemm"
clang -O2 -I"$kernels/include" -I"$kernels/gemm" "$here/bf16_gemm.c" "$kernels"/gemm/*.c "$kernels"/cpu/*.c \
    -o "$out" -lm -lpthread
"$out" "${1:-1536}"
