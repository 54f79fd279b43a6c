#!/usr/bin/env python3
"""The cluster scaling model of README "Training on several machines" (issue #17).

Per step, data-parallel training all-reduces every trainable parameter's gradient once (float32).
Fathom's rank-order all-reduce (an MPI_Alltoall of 1/p slices, a sum in rank order, an
MPI_Allgather) sends and receives 2 (p - 1) / p of the gradient per rank, like a ring all-reduce,
in 2 (p - 1) messages. Time = bytes / link bandwidth + messages x latency, with the link's
bandwidth at 90 % of line rate (TCP) and 20 us per message (Ethernet, TCP). Efficiency = compute /
(compute + exposed communication), without overlap (Fathom today: one bucket after backward) and
with ideal overlap (buckets all-reduced during backward, as DDP and Horovod do; exposed = the part
of the all-reduce longer than the backward pass, taken as 2/3 of the step's compute).

    python3 Benchmarks/distributed/scaling_model.py
"""

# Trainable parameters for one gray input channel and two classes (pneumonia), from the
# 3-channel 1000-class counts in Tests/LayersTests/ZooParameterCountTests.swift minus the
# stem's two missing input channels and the classifier's 998 missing classes.
MODELS = {
    "compact-cnn": 65_314,
    "mobilenet-v2": 3_504_872 - 2 * 32 * 9 - 998 * 1281,
    "efficientnet-lite0": 4_652_008 - 2 * 32 * 9 - 998 * 1281,
    "resnet18": 11_171_266,
    "resnet34": 21_797_672 - 2 * 64 * 49 - 998 * 513,
    "vgg11": 132_863_336 - 2 * 64 * 9 - 998 * 4097,
    "vgg16": 138_357_544 - 2 * 64 * 9 - 998 * 4097,
}
LINKS_GBIT = [10, 25, 100]
MACHINES = [2, 8, 32]
LATENCY = 20e-6
EFFICIENCY_OF_LINE_RATE = 0.9


def allreduce_seconds(parameters, machines, gbit):
    size = 4 * parameters
    wire = 2 * (machines - 1) / machines * size
    return wire / (gbit * 1e9 / 8 * EFFICIENCY_OF_LINE_RATE) + 2 * (machines - 1) * LATENCY


def main():
    print("| model | parameters | gradient MB | " + " | ".join(
        f"{g} Gb/s, p={p}" for g in LINKS_GBIT for p in MACHINES) + " |")
    print("|---|---:|---:|" + "---:|" * (len(LINKS_GBIT) * len(MACHINES)))
    for name, parameters in MODELS.items():
        cells = [f"{allreduce_seconds(parameters, p, g) * 1e3:.1f}" for g in LINKS_GBIT for p in MACHINES]
        print(f"| {name} | {parameters:,} | {4 * parameters / 1e6:.1f} | " + " | ".join(cells) + " |")
    print()
    # Efficiency for ResNet-18 128 px at batch 32 per machine: compute per step measured on this
    # repository's 2-core Xeon (59 img/s, README Benchmarks: 0.54 s), and the same work on a
    # 16-core machine assuming linear core scaling (0.068 s).
    for label, compute in [("2-core machine, 0.54 s/step", 0.54), ("16-core machine, 0.068 s/step", 0.068)]:
        print(f"ResNet-18 128 px, batch 32 per machine, {label}:")
        print("| link | " + " | ".join(f"p={p} no overlap | p={p} overlapped" for p in MACHINES) + " |")
        print("|---|" + "---:|" * (2 * len(MACHINES)))
        for g in LINKS_GBIT:
            cells = []
            for p in MACHINES:
                comm = allreduce_seconds(MODELS["resnet18"], p, g)
                exposed = max(0.0, comm - compute * 2 / 3)
                cells += [f"{compute / (compute + comm):.2f}", f"{compute / (compute + exposed):.2f}"]
            print(f"| {g} Gb/s | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
