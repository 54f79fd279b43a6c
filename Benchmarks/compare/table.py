"""Turns the `bench=NAME key=value …` lines of run.sh into one Markdown table.

    python table.py RAW_LINES_FILE

Per workload: Fathom images/s, PyTorch NCHW and channels-last images/s, the ratio of Fathom
to the better PyTorch layout (> 1: Fathom is faster), and the peak resident memory of each
process (PyTorch's of its faster layout) with their ratio (< 1: Fathom uses less).
"""

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
    rows.setdefault(fields["bench"], {})[key] = fields

print("\n".join(comments))
print()
print("| workload | Fathom img/s | PyTorch NCHW | PyTorch channels-last | Fathom / best PyTorch "
      "| Fathom peak RSS MiB | PyTorch peak RSS MiB | RSS Fathom / PyTorch |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, found in rows.items():
    def rate(key):
        return float(found[key]["img_s"]) if key in found else None

    fathom, nchw, last = rate("fathom"), rate("pytorch_nchw"), rate("pytorch_channels_last")
    candidates = [(r, k) for r, k in [(nchw, "pytorch_nchw"), (last, "pytorch_channels_last")] if r is not None]
    best, best_key = max(candidates) if candidates else (None, None)
    fathom_rss = float(found["fathom"]["peak_rss_mib"]) if "fathom" in found else None
    torch_rss = float(found[best_key]["peak_rss_mib"]) if best_key else None

    def show(value, digits=1):
        return "—" if value is None else f"{value:,.{digits}f}"

    ratio = fathom / best if fathom and best else None
    rss_ratio = fathom_rss / torch_rss if fathom_rss and torch_rss else None
    print(f"| {name} | {show(fathom)} | {show(nchw)} | {show(last)} | {show(ratio, 2)} "
          f"| {show(fathom_rss, 0)} | {show(torch_rss, 0)} | {show(rss_ratio, 2)} |")
