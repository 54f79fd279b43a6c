"""The table of Benchmarks/compare/gemm.sh from its raw `bench=gemm …` lines (medians).

    python gemm_table.py RAW_FILE
"""

import statistics
import sys
from collections import defaultdict

# Each Fathom path and the OpenBLAS kernel for the same instruction set.
COUNTERPART = {"avx512": "SkylakeX", "avx2": "Haswell", "generic": "Prescott"}
PATHS = ["avx512", "avx2", "generic"]


def parse(path):
    """{(shape, m, n, k, op): {column: [gflops, …]}} and the header comments."""
    rows, comments = defaultdict(lambda: defaultdict(list)), []
    for line in open(path):
        if line.startswith("#"):
            comments.append(line.strip())
            continue
        if not line.startswith("bench=gemm "):
            continue
        fields = dict(item.split("=", 1) for item in line.split()[1:])
        key = (fields["shape"], int(fields["m"]), int(fields["n"]), int(fields["k"]), fields["op"])
        side = fields["side"]
        column = {"fathom": fields.get("isa"), "openblas": f"openblas:{fields.get('core')}", "torch": "mkl"}[side]
        rows[key][column].append(float(fields["gflops"]))
    return rows, comments


def main():
    rows, comments = parse(sys.argv[1])
    paths = [p for p in PATHS if any(p in columns for columns in rows.values())]
    cores = [COUNTERPART[p] for p in paths]
    header = (["shape", "m×n×k", "op"] + [f"Fathom {p}" for p in paths] + [f"OpenBLAS {c}" for c in cores]
              + ["PyTorch (MKL)", f"Fathom {paths[0]} / MKL"] + [f"{p} / {COUNTERPART[p]}" for p in paths])
    for comment in comments:
        print(comment)
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join(["---"] * 3 + ["---:"] * (len(header) - 3)) + " |")

    def median(values):
        return statistics.median(values) if values else None

    def cell(value, digits=1):
        return "—" if value is None else f"{value:,.{digits}f}"

    for key in sorted(rows, key=lambda k: (k[0] != "square", list(rows).index(k))):
        columns = rows[key]
        fathom = {p: median(columns.get(p, [])) for p in paths}
        openblas = {c: median(columns.get(f"openblas:{c}", [])) for c in cores}
        mkl = median(columns.get("mkl", []))
        ratio = lambda a, b: None if a is None or b is None else a / b  # noqa: E731
        cells = ([key[0], f"{key[1]}×{key[2]}×{key[3]}", key[4]] + [cell(fathom[p]) for p in paths]
                 + [cell(openblas[c]) for c in cores] + [cell(mkl), cell(ratio(fathom[paths[0]], mkl), 2)]
                 + [cell(ratio(fathom[p], openblas[COUNTERPART[p]]), 2) for p in paths])
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
