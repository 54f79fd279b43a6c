#!/usr/bin/env bash
# Creates Benchmarks/compare/.venv with PyTorch (CPU), Pillow, ONNX and ONNX Runtime for the
# comparison in run.sh. Installs once and reuses: rerunning it is a no-op when everything already
# imports, and a venv made before ONNX Runtime was part of it only gets the missing packages.
#
# PyTorch comes from PyPI. The Linux wheel on PyPI pulls ~5 GB of CUDA libraries that a CPU
# benchmark never loads, so a CPU-only torch wheel found in $PIP_FIND_LINKS (a local wheel
# folder) is preferred when there is one; the CPU kernels (oneDNN, MKL) are the same in both.
# onnx and onnxruntime (CPU execution provider) are PyPI's wheels.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
python="$venv/bin/python"
versions='import torch, PIL, onnxruntime; print(f"torch {torch.__version__}, Pillow {PIL.__version__}, onnxruntime {onnxruntime.__version__}")'

if [[ -x "$python" ]] && "$python" -c 'import torch, PIL, numpy, onnx, onnxruntime' 2>/dev/null; then
    echo "setup: reusing $("$python" -c "$versions")"
    exit 0
fi

if [[ ! -x "$python" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
fi

if ! "$python" -c 'import torch' 2>/dev/null; then
    cpu_wheel=""
    for dir in ${PIP_FIND_LINKS:-}; do
        for wheel in "$dir"/torch-*+cpu-*.whl; do
            [[ -f "$wheel" ]] && cpu_wheel="$wheel"
        done
    done
    if [[ -n "$cpu_wheel" ]]; then
        echo "setup: installing the CPU-only wheel $cpu_wheel"
        "$venv/bin/pip" install "$cpu_wheel"
    else
        echo "setup: installing torch from PyPI (large download, once)"
        "$venv/bin/pip" install torch
    fi
fi
"$venv/bin/pip" install pillow numpy onnx onnxruntime
echo "setup: $("$python" -c "$versions")"
