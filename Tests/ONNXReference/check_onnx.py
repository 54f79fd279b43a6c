#!/usr/bin/env python3
"""Checks an ONNX file with the reference tools and runs it in ONNX Runtime (CPU).

    python3 check_onnx.py MODEL.onnx OUTPUT_DIR NAME=INPUT.npy [NAME=INPUT.npy ...]

1. onnx.checker.check_model(MODEL, full_check=True): the protobuf, the operator schemas and
   shape inference must all accept the file;
2. onnxruntime.InferenceSession on the CPU provider runs it on the .npy inputs;
3. each output is saved as OUTPUT_DIR/<output name>.npy, and OUTPUT_DIR/report.json lists
   the outputs, the model's metadata_props and the package versions.

Exit codes: 0 ok; 2 usage; 3 a package is missing (named); 4 the checker rejected the model;
5 ONNX Runtime failed to load or run it. Fathom's tests (Tests/ONNXTests, Tests/PneumoniaTests)
run this through ONNXReference.ONNXRuntimeCheck and compare the outputs with Fathom's.
"""
import json
import os
import sys

try:
    import numpy as np
    import onnx
    import onnxruntime as ort
except ImportError as error:
    print(f"missing Python package '{error.name}': pip install onnx onnxruntime numpy", file=sys.stderr)
    sys.exit(3)

if len(sys.argv) < 4:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
model_path, output_dir = sys.argv[1], sys.argv[2]
feeds = {}
for argument in sys.argv[3:]:
    name, _, path = argument.partition("=")
    feeds[name] = np.load(path)

try:
    onnx.checker.check_model(model_path, full_check=True)
except Exception as error:  # ValidationError, InferenceError, protobuf DecodeError
    print(f"onnx.checker rejected {model_path}: {type(error).__name__}: {error}", file=sys.stderr)
    sys.exit(4)

try:
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    outputs = session.run(None, feeds)
except Exception as error:
    print(f"ONNX Runtime failed on {model_path}: {type(error).__name__}: {error}", file=sys.stderr)
    sys.exit(5)

names = [output.name for output in session.get_outputs()]
for name, value in zip(names, outputs):
    np.save(os.path.join(output_dir, name + ".npy"), np.ascontiguousarray(value, dtype=np.float32))
report = {
    "outputs": names,
    "metadata": session.get_modelmeta().custom_metadata_map,
    "versions": {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__},
}
with open(os.path.join(output_dir, "report.json"), "w") as file:
    json.dump(report, file)
