"""PyTorch side of the Fathom comparison (run by Benchmarks/compare/run.sh).

The same workloads as `fathom-bench compare` (Benchmarks/FathomBenchmarks/CompareBenchmarks.swift):
same architectures, batch 32, 2 threads, the same warm-up and timed step counts, the median
step time as images/s and the process's peak resident memory. Each workload runs in NCHW and
in channels-last (`torch.channels_last`), one line each:

    bench=cnn28_train framework=pytorch layout=nchw batch=32 … img_s=… peak_rss_mib=…

    python torch_bench.py WORKLOAD LAYOUT      # LAYOUT: nchw | channels_last (run.sh: one process each)

Architectures are written here from Fathom's zoo (no torchvision): CompactCNN
(Sources/Layers/Zoo/CompactCNN.swift), ResNet-18 (ResNet.swift), EfficientNet-Lite0
(EfficientNetLite.swift, TensorFlow SAME padding), with random weights — speed does not
depend on them. Data loading is torchvision-free: PIL decode to gray, resize to 128, a random
affine like Fathom's light augmentation, normalize, batched by torch's DataLoader with 2 workers.
"""

import math
import os
import random
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

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


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(name, layout, warmup, steps, samples, images_per_step):
    wall, cpu = samples
    median = sorted(wall)[len(wall) // 2]
    print(f"bench={name} framework=pytorch layout={layout} batch={BATCH} warmup={warmup} steps={steps} "
          f"median_ms={median * 1e3:.1f} img_s={images_per_step / median:.1f} cpu_ms={cpu / steps * 1e3:.1f} "
          f"peak_rss_mib={peak_rss_mib():.1f}", flush=True)


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


def memory_format(layout):
    return torch.channels_last if layout == "channels_last" else torch.contiguous_format


def training(model, size, layout, warmup, steps):
    model = model.to(memory_format=memory_format(layout)).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    generator = torch.Generator().manual_seed(21)
    images = torch.randn(BATCH, 1, size, size, generator=generator).to(memory_format=memory_format(layout))
    labels = torch.arange(BATCH) % 2

    def step():
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()

    return timed_steps(warmup, steps, step)


def inference(model, channels, size, layout, warmup, steps):
    model = model.to(memory_format=memory_format(layout)).eval()
    generator = torch.Generator().manual_seed(22)
    images = torch.randn(BATCH, channels, size, size, generator=generator).to(memory_format=memory_format(layout))

    def step():
        with torch.no_grad():
            model(images)

    return timed_steps(warmup, steps, step)


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


def data_loading(warmup, steps):
    dataset = XRayFolder(data_root(), LOADING_IMAGES)
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True, num_workers=2,
                                         persistent_workers=True, prefetch_factor=2)

    def epoch():
        for images, _ in loader:
            pass

    return timed_steps(warmup, steps, epoch), len(dataset)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in STEPS or sys.argv[2] not in ("nchw", "channels_last"):
        sys.exit(f"usage: torch_bench.py WORKLOAD nchw|channels_last; workloads: {', '.join(STEPS)}")
    name, layout = sys.argv[1], sys.argv[2]
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    warmup, steps = STEPS[name]
    images_per_step = BATCH
    if name == "cnn28_train":
        samples = training(CompactCNN(), 28, layout, warmup, steps)
    elif name == "cnn128_train":
        samples = training(CompactCNN(), 128, layout, warmup, steps)
    elif name.startswith("resnet18_"):
        size = int(name.split("_")[1])
        if name.endswith("_train"):
            samples = training(ResNet18(), size, layout, warmup, steps)
        else:
            samples = inference(ResNet18(), 1, size, layout, warmup, steps)
    elif name == "effnet_lite0_224_infer":
        samples = inference(EfficientNetLite0(), 3, 224, layout, warmup, steps)
    else:  # data_loading_128: the layout does not apply; workers decode in their own processes.
        samples, images_per_step = data_loading(warmup, steps)
        layout = "workers2"
    report(name, layout, warmup, steps, samples, images_per_step)


if __name__ == "__main__":
    main()
