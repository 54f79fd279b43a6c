#!/usr/bin/env python3
"""Scores pneumonia runs on the generalization proxies of README.md, "Generalization".

usage: proxies.py RUN_DIR [RUN_DIR ...]   (pneumonia on PATH, FATHOM_DATA set)

For each run, one row: validation AUC (what training selected on), then the proxies the
runs never saw or chose from: PneumoniaMNIST's test split (the held-out Kermany patients at
28 px, centre-cropped by MedMNIST), the 16 original-resolution X-rays, and the validation
split under every acquisition shift of `pneumonia evaluate --shifts` (worst sensitivity and
specificity at the stored threshold, mean AUC). Metrics at the run's stored threshold.
"""
import json, os, subprocess, sys

DATA = os.environ.get("FATHOM_DATA", "../shared/data")

def evaluate(run, *args):
    out = subprocess.run(["pneumonia", "evaluate", "--model", run, "--json", *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])

def main(runs):
    print("| run | val AUC | MNIST-test acc | AUC | sens | spec | 16 originals acc | shifted val: mean AUC | worst sens | worst spec |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for run in runs:
        meta = json.load(open(os.path.join(run, "run.json")))
        mnist = evaluate(run, "--data", f"{DATA}/pneumoniamnist/pneumoniamnist.npz", "--split", "test")
        originals = evaluate(run, "--data", f"{DATA}/chest_xray_val_original")
        shifts = evaluate(run, "--shifts", "--split", "val")
        print(f"| {os.path.basename(run.rstrip('/'))} | {meta['validation']['auc']:.4f} "
              f"| {mnist['accuracy']:.3f} | {mnist['auc']:.4f} | {mnist['recall']:.3f} | {mnist['specificity']:.3f} "
              f"| {originals['accuracy']:.3f} | {shifts['mean_auc']:.4f} | {shifts['worst_sensitivity']:.3f} "
              f"| {shifts['worst_specificity']:.3f} |", flush=True)

if __name__ == "__main__":
    main(sys.argv[1:])
