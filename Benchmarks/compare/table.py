"""Turns the `bench=NAME key=value …` lines of run.sh into one Markdown table.

    python table.py RAW_LINES_FILE

Per workload: Fathom images/s, PyTorch NCHW and channels-last images/s, the ratio of Fathom
to the better PyTorch layout (> 1: Fathom is faster), and the peak resident memory of each
process (PyTorch's of its faster layout) with their ratio (< 1: Fathom uses less). When a
configuration ran several rounds, each figure is the median of its rounds (the rounds column
says how many): on a shared machine one run can be 20 % off in either direction.
"""

import statistics
import sys

rows = {}
comments = []
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("#"):
        comments.append(line)
        continue
    if not line.startswith("bench="):
        continue
    fields = dict(part.split("=", 1) for part in line.split())
    key = fields["framework"] if fields["framework"] == "fathom" else f"pytorch_{fields['layout']}"
    if key == "pytorch_workers2":
        key = "pytorch_nchw"  # data loading has one PyTorch row
    rows.setdefault(fields["bench"], {}).setdefault(key, []).append(fields)

print("\n".join(comments))
print()
print("| workload | Fathom img/s | PyTorch NCHW | PyTorch channels-last | Fathom / best PyTorch "
      "| Fathom peak RSS MiB | PyTorch peak RSS MiB | RSS Fathom / PyTorch | rounds |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, runs in rows.items():
    def median(key, field):
        return statistics.median(float(run[field]) for run in runs[key]) if key in runs else None

    def rate(key):
        return median(key, "img_s")

    fathom, nchw, last = rate("fathom"), rate("pytorch_nchw"), rate("pytorch_channels_last")
    candidates = [(r, k) for r, k in [(nchw, "pytorch_nchw"), (last, "pytorch_channels_last")] if r is not None]
    best, best_key = max(candidates) if candidates else (None, None)
    fathom_rss = median("fathom", "peak_rss_mib")
    torch_rss = median(best_key, "peak_rss_mib") if best_key else None
    rounds = min(len(found) for found in runs.values())

    def show(value, digits=1):
        return "—" if value is None else f"{value:,.{digits}f}"

    ratio = fathom / best if fathom and best else None
    rss_ratio = fathom_rss / torch_rss if fathom_rss and torch_rss else None
    print(f"| {name} | {show(fathom)} | {show(nchw)} | {show(last)} | {show(ratio, 2)} "
          f"| {show(fathom_rss, 0)} | {show(torch_rss, 0)} | {show(rss_ratio, 2)} | {rounds} |")
