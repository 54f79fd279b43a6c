"""PyTorch side of the Fathom comparison (run by Benchmarks/compare/run.sh).

The same workloads as `fathom-bench compare` (Benchmarks/FathomBenchmarks/CompareBenchmarks.swift):
same architectures, batch 32, 2 threads, the same warm-up and timed step counts, the median
step time as images/s and the process's peak resident memory, one line per run:

    bench=cnn28_train framework=pytorch layout=nchw batch=32 … img_s=… peak_rss_mib=…

    python torch_bench.py WORKLOAD MODE      # run.sh: one process each

MODE is one of
    nchw, channels_last  float32 PyTorch in either memory format (`torch.channels_last`), every
                         workload: the rows that table.py's "Fathom / best PyTorch" compares to;
    bf16                 training rows only: channels-last under `torch.autocast("cpu", bfloat16)`
                         (float32 weights and optimizer), line layout=bf16_channels_last;
    onnxruntime          inference rows only: the nchw row's model exported with
                         `torch.onnx.export` (opset 17) and timed by ort_bench.py in a process
                         of its own, line framework=onnxruntime.
bf16 and onnxruntime are stronger anchors, reported beside the float32 rows.

Architectures are written here from Fathom's zoo (no torchvision): CompactCNN
(Sources/Layers/Zoo/CompactCNN.swift), ResNet-18 (ResNet.swift), EfficientNet-Lite0
(EfficientNetLite.swift, TensorFlow SAME padding), with random weights — speed does not
depend on them. Data loading is torchvision-free: PIL decode to gray, resize to 128, a random
affine like Fathom's light augmentation, normalize, batched by torch's DataLoader with 2 workers;
it has one row, whatever the float32 MODE.
"""

import math
import os
import random
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from bench_common import BATCH, STEPS, THREADS, report, timed_steps

MODES = ("nchw", "channels_last", "bf16", "onnxruntime")


# --- CompactCNN: four blocks of conv3x3 (no bias) + BN + ReLU + maxpool 2, GAP, dropout, linear.
class CompactCNN(nn.Module):
    def __init__(self, in_channels=1, classes=2, widths=(32, 32, 64, 64), dropout=0.2):
        super().__init__()
        blocks, channels = [], in_channels
        for width in widths:
            blocks.append(nn.Sequential(nn.Conv2d(channels, width, 3, padding=1, bias=False), nn.BatchNorm2d(width),
                                        nn.ReLU(inplace=True), nn.MaxPool2d(2)))
            channels = width
        self.features = nn.Sequential(*blocks)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(channels, classes))

    def forward(self, x):
        return self.classifier(self.features(x).mean(dim=(2, 3)))


# --- ResNet-18 with basic blocks, torchvision's layout.
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet18(nn.Module):
    def __init__(self, in_channels=1, classes=2):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        layers, channels = [], 64
        for width, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            layers.append(nn.Sequential(BasicBlock(channels, width, stride), BasicBlock(width, width, 1)))
            channels = width
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


# --- EfficientNet-Lite0: MBConv blocks without squeeze-excitation, ReLU6, TensorFlow SAME padding.
class SameConv(nn.Conv2d):
    """A convolution with TensorFlow SAME padding (the extra row/column at the bottom/right)."""

    def forward(self, x):
        pads = []
        for size, k, s in zip(reversed(x.shape[2:]), reversed(self.kernel_size), reversed(self.stride)):
            total = max((math.ceil(size / s) - 1) * s + k - size, 0)
            pads += [total // 2, total - total // 2]
        return super().forward(F.pad(x, pads) if any(pads) else x)


def conv_bn(cin, cout, k, stride=1, groups=1):
    return nn.Sequential(SameConv(cin, cout, k, stride, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-3))


class MBConv(nn.Module):
    def __init__(self, cin, cout, k, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        self.expand = conv_bn(cin, hidden, 1) if expansion != 1 else None
        self.depthwise = conv_bn(hidden, hidden, k, stride, groups=hidden)
        self.project = conv_bn(hidden, cout, 1)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = F.relu6(self.expand(x)) if self.expand is not None else x
        y = self.project(F.relu6(self.depthwise(y)))
        return y + x if self.residual else y


class EfficientNetLite0(nn.Module):
    STAGES = [(1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80),
              (3, 5, 1, 6, 112), (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)]

    def __init__(self, in_channels=3, classes=1000):
        super().__init__()
        self.stem = conv_bn(in_channels, 32, 3, 2)
        blocks, channels = [], 32
        for repeats, k, stride, expansion, cout in self.STAGES:
            for i in range(repeats):
                blocks.append(MBConv(channels, cout, k, stride if i == 0 else 1, expansion))
                channels = cout
        self.blocks = nn.Sequential(*blocks)
        self.head = conv_bn(channels, 1280, 1)
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(1280, classes)

    def forward(self, x):
        x = self.blocks(F.relu6(self.stem(x)))
        x = F.relu6(self.head(x)).mean(dim=(2, 3))
        return self.fc(self.dropout(x))


# name -> (model, input channels, image size, trains); data_loading_128 has no model.
MODELS = {
    "cnn28_train": (CompactCNN, 1, 28, True),
    "cnn128_train": (CompactCNN, 1, 128, True),
    "resnet18_128_train": (ResNet18, 1, 128, True),
    "resnet18_128_infer": (ResNet18, 1, 128, False),
    "resnet18_224_train": (ResNet18, 1, 224, True),
    "resnet18_224_infer": (ResNet18, 1, 224, False),
    "effnet_lite0_224_infer": (EfficientNetLite0, 3, 224, False),
}


def random_images(channels, size, seed, memory_format=torch.contiguous_format):
    """One batch of standard normal images, the same in every run of a workload."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(BATCH, channels, size, size, generator=generator).to(memory_format=memory_format)


def training(name, memory_format, bf16=False):
    """Timed SGD steps (momentum 0.9) on one random batch; under bfloat16 autocast when `bf16`."""
    model_type, channels, size, _ = MODELS[name]
    model = model_type().to(memory_format=memory_format).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    images = random_images(channels, size, 21, memory_format)
    labels = torch.arange(BATCH) % 2

    def step():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()

    return timed_steps(*STEPS[name], step)


def inference(name, memory_format):
    """Timed forward passes in eval mode, without autograd, on one random batch."""
    model_type, channels, size, _ = MODELS[name]
    model = model_type().to(memory_format=memory_format).eval()
    images = random_images(channels, size, 22, memory_format)

    def step():
        with torch.no_grad():
            model(images)

    return timed_steps(*STEPS[name], step)


def float32_mode(name, layout):
    """MODE nchw or channels_last: float32 PyTorch, training or inference as the workload says."""
    memory_format = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    run = training if MODELS[name][3] else inference
    report(name, "pytorch", layout, run(name, memory_format))


def bf16_mode(name):
    """MODE bf16 (training rows): channels-last with the forward pass under bfloat16 autocast."""
    report(name, "pytorch", "bf16_channels_last", training(name, torch.channels_last, bf16=True))


def export_onnx(name, path):
    """Exports the nchw row's model in eval mode, fixed batch, opset 17, to `path`.

    Uses the TorchScript exporter (`dynamo=False`): the default torch.export-based one needs the
    onnxscript package. That exporter writes Pad nodes with an empty optional third input, which
    keeps ONNX Runtime from folding them into the next convolution (EfficientNet-Lite0's SAME
    padding); trailing empty inputs are dropped, which changes no computation.
    """
    import onnx  # only this mode needs it

    model_type, channels, size, _ = MODELS[name]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's deprecation and constant-folding notes
        torch.onnx.export(model_type().eval(), (random_images(channels, size, 22),), path, dynamo=False,
                          opset_version=17, input_names=["images"], output_names=["logits"])
    graph = onnx.load(path)
    for node in graph.graph.node:
        while node.input and not node.input[-1]:
            node.input.pop()
    onnx.save(graph, path)


def onnxruntime_mode(name):
    """MODE onnxruntime (inference rows): export, then ort_bench.py times it in a torch-free process."""
    with tempfile.TemporaryDirectory(prefix="fathom-compare-") as folder:
        path = os.path.join(folder, f"{name}.onnx")
        export_onnx(name, path)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ort_bench.py")
        subprocess.run([sys.executable, script, name, path], check=True)


# --- Data loading: the same 1024 evenly spaced chest X-rays as Fathom's row.
LOADING_IMAGES = 1024


def data_root():
    base = os.environ.get("FATHOM_DATA") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data")
    root = os.path.join(base, "chest_xray_224", "train")
    if not os.path.isdir(root):
        sys.exit(f"torch_bench: data not found at {root}; set FATHOM_DATA to the directory holding chest_xray_224")
    return root


class XRayFolder(torch.utils.data.Dataset):
    """Read, decode to gray, resize to 128, random affine (±10°, ±6 % shift, zoom 0.92–1.08), normalize."""

    def __init__(self, root, count):
        paths = []
        for label, name in enumerate(sorted(os.listdir(root))):
            folder = os.path.join(root, name)
            paths += [(os.path.join(folder, f), label) for f in sorted(os.listdir(folder)) if f.lower().endswith(".jpeg")]
        stride = max(1, len(paths) // count)
        self.samples = paths[::stride][:count]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        from PIL import Image
        path, label = self.samples[index]
        image = Image.open(path).convert("L").resize((128, 128), Image.BILINEAR)
        angle = math.radians(random.uniform(-10, 10))
        scale = random.uniform(0.92, 1.08)
        tx, ty = random.uniform(-0.06, 0.06) * 128, random.uniform(-0.06, 0.06) * 128
        # Inverse map (output → input) about the centre, as PIL's AFFINE transform takes it.
        c, s = math.cos(angle) / scale, math.sin(angle) / scale
        cx = cy = 64
        coefficients = (c, s, cx - c * (cx + tx) - s * (cy + ty), -s, c, cy + s * (cx + tx) - c * (cy + ty))
        image = image.transform((128, 128), Image.AFFINE, coefficients, Image.BILINEAR, fillcolor=0)
        pixels = np.asarray(image, dtype=np.float32) * (1 / 255)
        return torch.from_numpy((pixels - 0.5) / 0.25).unsqueeze(0), label


def data_loading_mode(name):
    """data_loading_128: one epoch of 1024 images a step; the workers decode in their own processes."""
    dataset = XRayFolder(data_root(), LOADING_IMAGES)
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True, num_workers=2,
                                         persistent_workers=True, prefetch_factor=2)

    def epoch():
        for images, _ in loader:
            pass

    report(name, "pytorch", "workers2", timed_steps(*STEPS[name], epoch), len(dataset))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in STEPS or sys.argv[2] not in MODES:
        sys.exit(f"usage: torch_bench.py WORKLOAD {'|'.join(MODES)}; workloads: {', '.join(STEPS)}")
    name, mode = sys.argv[1:]
    trains = name in MODELS and MODELS[name][3]
    if (mode == "bf16" and not trains) or (mode == "onnxruntime" and (trains or name not in MODELS)):
        kind = "training" if mode == "bf16" else "inference"
        sys.exit(f"torch_bench: {mode} has no {name} row: it is for {kind} workloads only")
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)  # before building the model: every mode of a workload gets the same weights
    if name not in MODELS:
        data_loading_mode(name)
    elif mode == "bf16":
        bf16_mode(name)
    elif mode == "onnxruntime":
        onnxruntime_mode(name)
    else:
        float32_mode(name, mode)


if __name__ == "__main__":
    main()
