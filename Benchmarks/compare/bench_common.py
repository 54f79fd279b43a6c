"""What torch_bench.py and ort_bench.py share: the workloads' settings, the timing loop and the
`bench=NAME key=value …` line that run.sh collects and table.py reads.

Imports neither torch nor onnxruntime, so that ort_bench.py's process, whose peak resident
memory is reported, holds ONNX Runtime alone.
"""

import resource
import time

BATCH = 32
THREADS = 2

# name -> (warm-up steps, timed steps); the same as CompareBenchmarks.workloads.
STEPS = {
    "cnn28_train": (5, 30),
    "cnn128_train": (2, 10),
    "resnet18_128_train": (2, 6),
    "resnet18_128_infer": (2, 10),
    "resnet18_224_train": (1, 4),
    "resnet18_224_infer": (2, 6),
    "effnet_lite0_224_infer": (2, 6),
    "data_loading_128": (1, 3),
}


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_steps(warmup, steps, body):
    """Wall seconds of each timed step, and the CPU seconds (user + system, all threads) of them all."""
    for _ in range(warmup):
        body()
    samples = []
    cpu_start = cpu_seconds()
    for _ in range(steps):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    return samples, cpu_seconds() - cpu_start


def report(name, framework, layout, samples, images_per_step=BATCH):
    """Prints the result line of workload `name`: median step time, images/s, CPU ms a step, peak RSS."""
    warmup, steps = STEPS[name]
    wall, cpu = samples
    median = sorted(wall)[len(wall) // 2]
    print(f"bench={name} framework={framework} layout={layout} batch={BATCH} warmup={warmup} steps={steps} "
          f"median_ms={median * 1e3:.1f} img_s={images_per_step / median:.1f} cpu_ms={cpu / steps * 1e3:.1f} "
          f"peak_rss_mib={peak_rss_mib():.1f}", flush=True)
