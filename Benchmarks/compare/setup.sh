#!/usr/bin/env bash
# Creates Benchmarks/compare/.venv with PyTorch (CPU) and Pillow for the comparison in run.sh.
# Installs once and reuses: rerunning it is a no-op when torch already imports.
#
# PyTorch comes from PyPI. The Linux wheel on PyPI pulls ~5 GB of CUDA libraries that a CPU
# benchmark never loads, so a CPU-only torch wheel found in $PIP_FIND_LINKS (a local wheel
# folder) is preferred when there is one; the CPU kernels (oneDNN, MKL) are the same in both.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"

if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import torch, PIL, numpy' 2>/dev/null; then
    "$venv/bin/python" -c 'import torch, PIL; print(f"setup: reusing {torch.__version__}, Pillow {PIL.__version__}")'
    exit 0
fi

python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip

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
"$venv/bin/pip" install pillow numpy
"$venv/bin/python" -c 'import torch, PIL; print(f"setup: torch {torch.__version__}, Pillow {PIL.__version__}")'
