import Tensor

/// ResNet (He et al., 2016) with basic blocks — ResNet-18 and ResNet-34 — in torchvision's
/// layout: `conv1`, `bn1`, `maxpool`, `layer1` … `layer4` (each a sequence of
/// ``BasicBlock``s), `avgpool`, `fc`.
///
/// Initialized as torchvision: convolutions Kaiming-normal (fan-out, ReLU), batch norm 1 and
/// 0, the classifier with the default linear initialization.
public final class ResNet: Module {
    /// The 7×7 stride-2 stem convolution.
    public let conv1: Conv2D
    /// The stem's batch norm.
    public let bn1: BatchNorm2D
    /// The stem's activation.
    public let relu = ReLU()
    /// The stem's 3×3 stride-2 max pool.
    public let maxpool = MaxPool2D(kernelSize: 3, stride: 2, padding: 1)
    /// 64 channels at 1/4 resolution.
    public let layer1: Sequential
    /// 128 channels at 1/8 resolution.
    public let layer2: Sequential
    /// 256 channels at 1/16 resolution.
    public let layer3: Sequential
    /// 512 channels at 1/32 resolution.
    public let layer4: Sequential
    /// Global average pooling to 1×1.
    public let avgpool = AdaptiveAvgPool2D(outputSize: 1)
    /// The classifier, 512 → classes (replace it for transfer learning).
    public var fc: Linear
    /// Whether training recomputes the stem (convolution, batch norm, ReLU, max pool) during
    /// backward instead of keeping its full-resolution results (see ``checkpoint(_:_:)``).
    ///
    /// On by default: kept, the stem's convolution output and max-pool indices are the largest
    /// tensors of the step (98 + 25 MiB at 224 px and batch 32), and replaying the stem costs
    /// one small convolution (a 7×7 kernel over 1–3 input channels) and two elementwise passes.
    /// Measured on ResNet-18 training (README, "Peak memory in training"): 116 MiB less peak
    /// memory at 224 px for 6 % of the step, 19 MiB at 128 px for 3 %; turn it off for speed.
    public var checkpointsStem = true

    /// A ResNet with `blockCounts` basic blocks per stage (`[2, 2, 2, 2]` is ResNet-18,
    /// `[3, 4, 6, 3]` ResNet-34).
    /// - Parameter seed: fixes the initial weights.
    public init(blockCounts: [Int], inputChannels: Int = 3, classCount: Int = 1000, seed: UInt64 = 0) {
        precondition(blockCounts.count == 4, "ResNet: needs four stages, got \(blockCounts)")
        var rng = RandomGenerator(seed: seed)
        conv1 = Conv2D(inputChannels, 64, kernelSize: 7, stride: 2, padding: .symmetric(3), bias: false,
                       weightInitializer: zooConvolutionInitializer, generator: &rng)
        bn1 = BatchNorm2D(64)
        var channels = 64
        func stage(_ width: Int, blocks: Int, stride: Int) -> Sequential {
            var layers: [Module] = []
            for i in 0..<blocks {
                layers.append(BasicBlock(channels, width, stride: i == 0 ? stride : 1, generator: &rng))
                channels = width
            }
            return Sequential(layers)
        }
        layer1 = stage(64, blocks: blockCounts[0], stride: 1)
        layer2 = stage(128, blocks: blockCounts[1], stride: 2)
        layer3 = stage(256, blocks: blockCounts[2], stride: 2)
        layer4 = stage(512, blocks: blockCounts[3], stride: 2)
        fc = Linear(512, classCount, generator: &rng)
    }

    /// ResNet-18: 11.7 M parameters for 3 channels and 1000 classes.
    public static func resnet18(inputChannels: Int = 3, classCount: Int = 1000, seed: UInt64 = 0) -> ResNet {
        ResNet(blockCounts: [2, 2, 2, 2], inputChannels: inputChannels, classCount: classCount, seed: seed)
    }

    /// ResNet-34: 21.8 M parameters for 3 channels and 1000 classes.
    public static func resnet34(inputChannels: Int = 3, classCount: Int = 1000, seed: UInt64 = 0) -> ResNet {
        ResNet(blockCounts: [3, 4, 6, 3], inputChannels: inputChannels, classCount: classCount, seed: seed)
    }

    /// Class logits `[N, classCount]` for images `[N, inputChannels, H, W]`.
    public override func forward(_ input: Tensor) -> Tensor {
        let stem = { [conv1, bn1, relu, maxpool] (images: Tensor) in maxpool(relu(bn1(conv1(images)))) }
        var x = checkpointsStem && isTraining ? checkpointUnderModuleHook(input, stem) : stem(input)
        x = layer4(layer3(layer2(layer1(x))))
        return fc(avgpool(x).flattened(startAxis: 1))
    }
}

/// Two 3×3 convolutions with batch norm and a residual connection (torchvision's
/// `BasicBlock`: `conv1`, `bn1`, `conv2`, `bn2`, and `downsample.0`/`.1` — a strided 1×1
/// convolution and batch norm — when the shape changes).
public final class BasicBlock: Module {
    /// The first convolution (carries the stride).
    public let conv1: Conv2D
    /// Batch norm after `conv1`.
    public let bn1: BatchNorm2D
    /// The activation, after `bn1` and after the sum.
    public let relu = ReLU()
    /// The second convolution.
    public let conv2: Conv2D
    /// Batch norm after `conv2`.
    public let bn2: BatchNorm2D
    /// The projection of the shortcut when stride or width change, else `nil` (identity).
    public let downsample: Sequential?

    /// A block from `inputChannels` to `outputChannels`, downsampling by `stride`.
    public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int = 1, generator: inout RandomGenerator) {
        conv1 = Conv2D(inputChannels, outputChannels, kernelSize: 3, stride: stride, padding: .symmetric(1), bias: false,
                       weightInitializer: zooConvolutionInitializer, generator: &generator)
        bn1 = BatchNorm2D(outputChannels)
        conv2 = Conv2D(outputChannels, outputChannels, kernelSize: 3, padding: .symmetric(1), bias: false,
                       weightInitializer: zooConvolutionInitializer, generator: &generator)
        bn2 = BatchNorm2D(outputChannels)
        if stride != 1 || inputChannels != outputChannels {
            downsample = Sequential(
                Conv2D(inputChannels, outputChannels, kernelSize: 1, stride: stride, bias: false,
                       weightInitializer: zooConvolutionInitializer, generator: &generator),
                BatchNorm2D(outputChannels))
        } else {
            downsample = nil
        }
    }

    /// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`.
    public override func forward(_ input: Tensor) -> Tensor {
        let shortcut = downsample?(input) ?? input
        return relu(bn2(conv2(relu(bn1(conv1(input))))) + shortcut)
    }
}
