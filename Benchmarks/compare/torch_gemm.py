"""PyTorch's side of the GEMM comparison (Benchmarks/compare/gemm.sh): torch.mm on 2 threads.

    python torch_gemm.py

Times the shapes of `fathom-bench gemm` (GEMMBenchmarks.swift: squares and ResNet-18's layers),
op(A) m×k times op(B) k×n with transposes as views, like Fathom's row-major operands, and prints
`bench=gemm shape=… m=… n=… k=… op=NN side=torch gflops=…` per shape (the median of 5 timed
runs, each repeating the product for at least 50 ms, after one warm-up).
"""

import re
import time
from pathlib import Path

import torch

THREADS = 2


def shapes():
    """The (name, m, n, k, op) rows of GEMMBenchmarks.swift, read from the Swift source."""
    source = Path(__file__).resolve().parents[1] / "FathomBenchmarks" / "GEMMBenchmarks.swift"
    text = source.read_text()
    found = []
    squares = re.search(r"\[([\d, ]+)\]\.map \{ Shape\(name: \"square\"", text)
    for n in (int(v) for v in squares.group(1).split(",")):
        found.append(("square", n, n, n, "NN"))
    pattern = r'Shape\(name: "(\w+)", m: (\d+), n: (\d+), k: (\d+), transposingA: (\w+), transposingB: (\w+)\)'
    for name, m, n, k, ta, tb in re.findall(pattern, text):
        found.append((name, int(m), int(n), int(k), ("T" if ta == "true" else "N") + ("T" if tb == "true" else "N")))
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
    for name, m, n, k, op in shapes():
        a = torch.rand(k, m, generator=generator).t() if op[0] == "T" else torch.rand(m, k, generator=generator)
        b = torch.rand(n, k, generator=generator).t() if op[1] == "T" else torch.rand(k, n, generator=generator)
        c = torch.empty(m, n)
        t = seconds(lambda: torch.mm(a, b, out=c))
        print(f"bench=gemm shape={name} m={m} n={n} k={k} op={op} side=torch gflops={2 * m * n * k / t * 1e-9:.1f}", flush=True)


if __name__ == "__main__":
    main()
