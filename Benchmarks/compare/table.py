"""Turns the `bench=NAME key=value …` lines of run.sh into one Markdown table.

    python table.py RAW_LINES_FILE

Per workload: Fathom images/s, PyTorch NCHW and channels-last images/s (float32), the ratio of
Fathom to the better of those two PyTorch layouts (> 1: Fathom is faster); then the stronger
anchors, reported beside them but no part of that "best": PyTorch under bfloat16 autocast
(training rows) and ONNX Runtime with the ratio of Fathom to it (inference rows), empty where a
row has no such anchor; then the peak resident memory of Fathom's process and of PyTorch's
faster float32 layout, with their ratio (< 1: Fathom uses less). Fathom's lines name the
instruction set of its GEMM kernels (`isa=`): the Fathom column's header shows it when every
row agrees, an extra column per row otherwise. When a configuration ran several rounds, each
figure is the median of its rounds (the rounds column says how many): on a shared machine one
run can be 20 % off in either direction.
"""

import statistics
import sys

FLOAT32 = ("pytorch_nchw", "pytorch_channels_last")  # the layouts "Fathom / best PyTorch" picks from


def configuration(fields):
    """The key of a line's configuration: fathom, onnxruntime or pytorch_LAYOUT."""
    if fields["framework"] != "pytorch":
        return fields["framework"]
    return "pytorch_nchw" if fields["layout"] == "workers2" else f"pytorch_{fields['layout']}"  # data loading: one row


def read(path):
    """The `#` comment lines, and per workload (in file order) per configuration the lines' fields."""
    rows, comments = {}, []
    for line in open(path):
        line = line.strip()
        if line.startswith("#"):
            comments.append(line)
        elif line.startswith("bench="):
            fields = dict(part.split("=", 1) for part in line.split())
            rows.setdefault(fields["bench"], {}).setdefault(configuration(fields), []).append(fields)
    return rows, comments


def show(value, digits=1, missing="—"):
    return missing if value is None else f"{value:,.{digits}f}"


def ratio(a, b):
    return a / b if a and b else None


def main():
    rows, comments = read(sys.argv[1])
    isas = {run.get("isa") for runs in rows.values() for run in runs.get("fathom", [])}  # None: no isa= field
    isa_column = len(isas) > 1
    fathom_title = f"Fathom img/s ({next(iter(isas))})" if len(isas) == 1 and None not in isas else "Fathom img/s"

    print("\n".join(comments))
    print()
    titles = ([fathom_title] + (["Fathom ISA"] if isa_column else []) +
              ["PyTorch NCHW", "PyTorch channels-last", "Fathom / best PyTorch", "PyTorch bf16", "ONNX Runtime",
               "Fathom / ONNX Runtime", "Fathom peak RSS MiB", "PyTorch peak RSS MiB", "RSS Fathom / PyTorch", "rounds"])
    print("| workload | " + " | ".join(titles) + " |")
    print("| --- |" + " ---: |" * len(titles))
    for name, runs in rows.items():
        def median(key, field="img_s"):
            return statistics.median(float(run[field]) for run in runs[key]) if key in runs else None

        def anchor(value, applies, digits=1):
            """An anchor's cell: empty where the workload has no such anchor, — where its line is missing."""
            return show(value, digits, missing="—" if applies else "")

        fathom = median("fathom")
        float32 = [(median(key), key) for key in FLOAT32 if key in runs]
        best, best_key = max(float32) if float32 else (None, None)
        bf16, ort = median("pytorch_bf16_channels_last"), median("onnxruntime")
        trains, infers = name.endswith("_train"), name.endswith("_infer")
        fathom_rss = median("fathom", "peak_rss_mib")
        torch_rss = median(best_key, "peak_rss_mib") if best_key else None
        cells = ([show(fathom)] +
                 (["/".join(sorted({run.get("isa", "?") for run in runs.get("fathom", [])}))] if isa_column else []) +
                 [show(median("pytorch_nchw")), show(median("pytorch_channels_last")), show(ratio(fathom, best), 2),
                  anchor(bf16, trains), anchor(ort, infers), anchor(ratio(fathom, ort), infers, 2),
                  show(fathom_rss, 0), show(torch_rss, 0), show(ratio(fathom_rss, torch_rss), 2),
                  str(min(len(found) for found in runs.values()))])
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
