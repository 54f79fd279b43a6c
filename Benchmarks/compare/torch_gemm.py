"""PyTorch's side of the GEMM comparison (Benchmarks/compare/gemm.sh): torch.mm on 2 threads.

    python torch_gemm.py RAW_FILE

Times the products that `fathom-bench gemm` timed, read from its `bench=gemm …` lines in
RAW_FILE (squares and ResNet-18's layers, GEMMBenchmarks.swift): op(A) m×k times op(B) k×n
with transposes as views, like Fathom's row-major operands. Prints
`bench=gemm shape=… m=… n=… k=… op=NN side=torch gflops=…` per product (the median of 5 timed
runs, each repeating the product for at least 50 ms, after one warm-up, as Bench.seconds does).
"""

import sys
import time

import torch

from bench_common import THREADS


def shapes(raw_file):
    """The distinct (name, m, n, k, op) of the Fathom lines in `raw_file`, in their order."""
    found = []
    for line in open(raw_file):
        if not line.startswith("bench=gemm ") or "side=fathom" not in line:
            continue
        fields = dict(item.split("=", 1) for item in line.split()[1:])
        shape = (fields["shape"], int(fields["m"]), int(fields["n"]), int(fields["k"]), fields["op"])
        if shape not in found:
            found.append(shape)
    return found


def seconds(body, repeats=5, minimum=0.05):
    """Median seconds per call of `body`, as Bench.seconds in the Swift suite."""
    body()
    iterations = 1
    while True:
        start = time.perf_counter()
        for _ in range(iterations):
            body()
        elapsed = time.perf_counter() - start
        if elapsed >= minimum:
            break
        iterations *= 2
    samples = [elapsed / iterations]
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(iterations):
            body()
        samples.append((time.perf_counter() - start) / iterations)
    return sorted(samples)[len(samples) // 2]


def main():
    torch.set_num_threads(THREADS)
    generator = torch.Generator().manual_seed(1)
    for name, m, n, k, op in shapes(sys.argv[1]):
        a = torch.rand(k, m, generator=generator).t() if op[0] == "T" else torch.rand(m, k, generator=generator)
        b = torch.rand(n, k, generator=generator).t() if op[1] == "T" else torch.rand(k, n, generator=generator)
        c = torch.empty(m, n)
        t = seconds(lambda: torch.mm(a, b, out=c))
        print(f"bench=gemm shape={name} m={m} n={n} k={k} op={op} side=torch gflops={2 * m * n * k / t * 1e-9:.1f}", flush=True)


if __name__ == "__main__":
    main()
