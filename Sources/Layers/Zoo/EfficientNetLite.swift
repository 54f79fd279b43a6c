import Tensor

/// EfficientNet-Lite0 (EfficientNet-B0 without squeeze-and-excitation, with ReLU6 and a fixed
/// stem and head), named as the `efficientnet_lite_pytorch` weights: `_conv_stem`, `_bn0`,
/// `_blocks.N` (``MBConvBlock``), `_conv_head`, `_bn1`, `_fc`.
///
/// TensorFlow's SAME padding and batch-norm epsilon 1e-3 by default, so that the released
/// ImageNet weights reproduce their reference outputs. Stochastic depth (drop connect) is not
/// applied in training.
public final class EfficientNetLite: Module {
    /// The 3×3 stride-2 stem convolution (32 channels; replaceable to adapt the input
    /// channels, see ``FineTunable/adapt(inputChannels:classCount:seed:)``).
    public var convStem: Conv2D
    /// The stem's batch norm.
    public let bn0: BatchNorm2D
    /// The 16 mobile inverted bottleneck blocks.
    public let blocks: [MBConvBlock]
    /// The 1×1 convolution to 1280 channels.
    public let convHead: Conv2D
    /// The head's batch norm.
    public let bn1: BatchNorm2D
    /// The activation after the stem and the head.
    public let activation = ReLU6()
    /// Global average pooling to `[N, 1280]`.
    public let pool = GlobalAvgPool2D()
    /// Dropout before the classifier.
    public let dropout: Dropout
    /// The classifier, 1280 → classes (replace it for transfer learning).
    public var fc: Linear

    /// The PyTorch port's names, which keep TensorFlow's leading underscores.
    public override class var propertyKeys: [String: String] {
        ["convStem": "_conv_stem", "bn0": "_bn0", "blocks": "_blocks", "convHead": "_conv_head", "bn1": "_bn1",
         "pool": "_avg_pooling", "dropout": "_dropout", "fc": "_fc"]
    }

    /// (repeats, kernel, first stride, expansion, output channels) of each stage.
    private static let stages = [(1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80),
                                 (3, 5, 1, 6, 112), (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)]

    /// EfficientNet-Lite0 for `inputChannels`-channel images and `classCount` classes.
    /// - Parameters:
    ///   - padding: TensorFlow SAME (the reference weights') or PyTorch's symmetric padding.
    ///   - batchNormEpsilon: 1e-3 for the reference weights.
    ///   - dropout: the probability before the classifier.
    ///   - seed: fixes the initial weights and the dropout stream.
    public init(inputChannels: Int = 3, classCount: Int = 1000, padding: PaddingConvention = .tensorFlowSame,
                batchNormEpsilon: Float = 1e-3, dropout: Float = 0.2, seed: UInt64 = 0) {
        var rng = RandomGenerator(seed: seed)
        // TensorFlow's batch-norm decay 0.99 is PyTorch momentum 0.01.
        func norm(_ channels: Int) -> BatchNorm2D { BatchNorm2D(channels, momentum: 0.01, epsilon: batchNormEpsilon) }
        convStem = Conv2D(inputChannels, 32, kernelSize: 3, stride: 2, padding: padding.padding(kernelSize: 3), bias: false,
                          weightInitializer: zooConvolutionInitializer, generator: &rng)
        bn0 = norm(32)
        var blocks: [MBConvBlock] = []
        var channels = 32
        for (repeats, kernel, stride, expansion, output) in Self.stages {
            for i in 0..<repeats {
                blocks.append(MBConvBlock(channels, output, kernelSize: kernel, stride: i == 0 ? stride : 1,
                                          expansion: expansion, padding: padding, normalization: norm, generator: &rng))
                channels = output
            }
        }
        self.blocks = blocks
        convHead = Conv2D(channels, 1280, kernelSize: 1, bias: false, weightInitializer: zooConvolutionInitializer,
                          generator: &rng)
        bn1 = norm(1280)
        self.dropout = Dropout(probability: dropout, generator: rng.split())
        fc = Linear(1280, classCount, generator: &rng)
    }

    /// Class logits `[N, classCount]` for images `[N, inputChannels, H, W]`.
    public override func forward(_ input: Tensor) -> Tensor {
        var x = activation(bn0(convStem(input)))
        for block in blocks { x = block(x) }
        x = activation(bn1(convHead(x)))
        return fc(dropout(pool(x)))
    }
}

/// EfficientNet's mobile inverted bottleneck without squeeze-and-excitation: optional 1×1
/// expansion (`_expand_conv`, `_bn0`), depthwise k×k convolution (`_depthwise_conv`, `_bn1`),
/// 1×1 projection (`_project_conv`, `_bn2`), ReLU6 after the first two, and a residual sum when
/// stride is 1 and the width unchanged.
public final class MBConvBlock: Module {
    /// The expansion convolution, `nil` when the expansion is 1.
    public let expandConv: Conv2D?
    /// Batch norm after the expansion.
    public let bn0: BatchNorm2D?
    /// The depthwise convolution (carries the stride).
    public let depthwiseConv: Conv2D
    /// Batch norm after the depthwise convolution.
    public let bn1: BatchNorm2D
    /// The projection convolution.
    public let projectConv: Conv2D
    /// Batch norm after the projection.
    public let bn2: BatchNorm2D
    /// The activation after the expansion and the depthwise convolution.
    public let activation = ReLU6()
    /// Whether the input is added to the output.
    public let usesResidual: Bool

    /// The PyTorch port's names.
    public override class var propertyKeys: [String: String] {
        ["expandConv": "_expand_conv", "bn0": "_bn0", "depthwiseConv": "_depthwise_conv", "bn1": "_bn1",
         "projectConv": "_project_conv", "bn2": "_bn2"]
    }

    /// A block from `inputChannels` to `outputChannels`.
    /// - Parameter normalization: makes the batch norm for a channel count.
    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int, expansion: Int,
                padding: PaddingConvention, normalization: (Int) -> BatchNorm2D, generator: inout RandomGenerator) {
        let hidden = inputChannels * expansion
        if expansion != 1 {
            expandConv = Conv2D(inputChannels, hidden, kernelSize: 1, bias: false,
                                weightInitializer: zooConvolutionInitializer, generator: &generator)
            bn0 = normalization(hidden)
        } else {
            expandConv = nil
            bn0 = nil
        }
        depthwiseConv = Conv2D(hidden, hidden, kernelSize: kernelSize, stride: stride,
                               padding: padding.padding(kernelSize: kernelSize), groups: hidden, bias: false,
                               weightInitializer: zooConvolutionInitializer, generator: &generator)
        bn1 = normalization(hidden)
        projectConv = Conv2D(hidden, outputChannels, kernelSize: 1, bias: false,
                             weightInitializer: zooConvolutionInitializer, generator: &generator)
        bn2 = normalization(outputChannels)
        usesResidual = stride == 1 && inputChannels == outputChannels
    }

    /// The block's output, plus the input when residual.
    public override func forward(_ input: Tensor) -> Tensor {
        var x = input
        if let expandConv, let bn0 { x = activation(bn0(expandConv(x))) }
        let projected = bn2(projectConv(activation(bn1(depthwiseConv(x)))))
        return usesResidual ? (consume projected) + input : projected
    }
}
