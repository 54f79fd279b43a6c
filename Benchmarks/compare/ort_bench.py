"""ONNX Runtime side of the Fathom comparison: times one exported model, prints one line.

    python ort_bench.py WORKLOAD MODEL.onnx

Started by `torch_bench.py WORKLOAD onnxruntime`, which exports the PyTorch model first; run in
a process of its own, without torch, so that its peak resident memory is ONNX Runtime's alone.
The input shape is the model's (exported with a fixed batch); the session runs on the CPU
execution provider with 2 intra-op threads, 1 inter-op thread and every graph optimization
(ONNX Runtime's default level: BatchNorm and padding folded into the convolutions, NCHWc
kernels), the same warm-up and timed steps as the other rows:

    bench=resnet18_128_infer framework=onnxruntime layout=nchw batch=32 … img_s=… peak_rss_mib=…
"""

import sys

import numpy as np
import onnxruntime as ort

from bench_common import STEPS, THREADS, report, timed_steps


def session(path):
    """An inference session on the CPU with THREADS intra-op threads and one inter-op thread."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def inference(name, path):
    """Times `session.run` on one random batch of the model's input shape."""
    model = session(path)
    (input_arg,) = model.get_inputs()
    images = np.random.default_rng(22).standard_normal(input_arg.shape, dtype=np.float32)
    feeds = {input_arg.name: images}
    return timed_steps(*STEPS[name], lambda: model.run(None, feeds))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in STEPS:
        sys.exit(f"usage: ort_bench.py WORKLOAD MODEL.onnx; workloads: {', '.join(STEPS)}")
    name, path = sys.argv[1:]
    report(name, "onnxruntime", "nchw", inference(name, path))


if __name__ == "__main__":
    main()
