import Tensor

/// MobileNetV2 (Sandler et al., 2018) in torchvision's layout: `features.0` (stem
/// convolution, batch norm, ReLU6), `features.1` … `features.17` (``InvertedResidual`` blocks),
/// `features.18` (1×1 convolution to 1280 channels), global average pooling, and
/// `classifier.1` (linear; `classifier.0` is dropout).
///
/// ``Configuration`` also describes the TF-Lite export of the same network: TensorFlow SAME
/// padding and batch norm folded into convolution biases.
public final class MobileNetV2: Module {
    /// Choices that vary between the PyTorch and TensorFlow versions of the network.
    public struct Configuration: Sendable, Equatable {
        /// Scales every channel count (rounded to multiples of 8); 1 is the standard network.
        public var widthMultiplier: Float
        /// How convolutions pad.
        public var padding: PaddingConvention
        /// Whether convolutions are followed by batch norm; `false` gives them biases instead
        /// (weights with folded batch norm).
        public var batchNorm: Bool
        /// The batch-norm epsilon (torchvision 1e-5; TensorFlow 1e-3).
        public var batchNormEpsilon: Float
        /// The dropout probability before the classifier.
        public var dropout: Float

        /// A configuration; the defaults are torchvision's.
        public init(widthMultiplier: Float = 1, padding: PaddingConvention = .pytorch, batchNorm: Bool = true,
                    batchNormEpsilon: Float = 1e-5, dropout: Float = 0.2) {
            self.widthMultiplier = widthMultiplier
            self.padding = padding
            self.batchNorm = batchNorm
            self.batchNormEpsilon = batchNormEpsilon
            self.dropout = dropout
        }

        /// torchvision's network.
        public static let torchvision = Configuration()
        /// The TF-Lite export: SAME padding, batch norm folded into biases.
        public static let tensorFlowLite = Configuration(padding: .tensorFlowSame, batchNorm: false)
    }

    /// The stem, the inverted residual blocks and the final 1×1 convolution.
    public var features: Sequential
    /// Global average pooling to `[N, C]`.
    public let pool = GlobalAvgPool2D()
    /// Dropout, then the linear classifier `classifier.1`.
    public var classifier: Sequential

    /// (expansion, output channels, repeats, first stride) of each stage.
    private static let stages = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                                 (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]

    /// A MobileNetV2 for `inputChannels`-channel images and `classCount` classes.
    /// - Parameter seed: fixes the initial weights and the dropout stream.
    public init(inputChannels: Int = 3, classCount: Int = 1000, configuration: Configuration = .torchvision,
                seed: UInt64 = 0) {
        var rng = RandomGenerator(seed: seed)
        let c = configuration
        func width(_ channels: Float) -> Int { Self.divisible(channels * c.widthMultiplier) }
        var channels = width(32)
        var layers: [Module] = [
            Sequential.convNormActivation(inputChannels, channels, kernelSize: 3, stride: 2, padding: c.padding,
                                          batchNorm: c.batchNorm, batchNormEpsilon: c.batchNormEpsilon,
                                          activation: ReLU6(), generator: &rng),
        ]
        for (expansion, outputs, repeats, firstStride) in Self.stages {
            let output = width(Float(outputs))
            for i in 0..<repeats {
                layers.append(InvertedResidual(channels, output, stride: i == 0 ? firstStride : 1, expansion: expansion,
                                               configuration: c, generator: &rng))
                channels = output
            }
        }
        let last = Self.divisible(1280 * max(1, c.widthMultiplier))
        layers.append(Sequential.convNormActivation(channels, last, kernelSize: 1, padding: c.padding,
                                                    batchNorm: c.batchNorm, batchNormEpsilon: c.batchNormEpsilon,
                                                    activation: ReLU6(), generator: &rng))
        features = Sequential(layers)
        classifier = Sequential(
            Dropout(probability: c.dropout, generator: rng.split()),
            Linear(last, classCount, weightInitializer: .normal(standardDeviation: 0.01), biasInitializer: .zeros,
                   generator: &rng))
    }

    /// torchvision's `_make_divisible`: the nearest multiple of 8, never more than 10 % below.
    static func divisible(_ value: Float, by divisor: Int = 8) -> Int {
        var rounded = max(divisor, Int(value + Float(divisor) / 2) / divisor * divisor)
        if Float(rounded) < 0.9 * value { rounded += divisor }
        return rounded
    }

    /// Class logits `[N, classCount]` for images `[N, inputChannels, H, W]`.
    public override func forward(_ input: Tensor) -> Tensor {
        classifier(pool(features(input)))
    }
}

/// MobileNetV2's block: 1×1 expansion (skipped when the expansion is 1), 3×3 depthwise
/// convolution, 1×1 linear projection, and a residual sum when stride is 1 and the width is
/// unchanged. Parts are torchvision's `conv.0`, `conv.1`, … .
public final class InvertedResidual: Module {
    /// The expansion, depthwise and projection layers.
    public let conv: Sequential
    /// Whether the input is added to the output.
    public let usesResidual: Bool

    /// A block from `inputChannels` to `outputChannels`.
    public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int, expansion: Int,
                configuration c: MobileNetV2.Configuration, generator: inout RandomGenerator) {
        let hidden = inputChannels * expansion
        var layers: [Module] = []
        if expansion != 1 {
            layers.append(Sequential.convNormActivation(inputChannels, hidden, kernelSize: 1, padding: c.padding,
                                                        batchNorm: c.batchNorm, batchNormEpsilon: c.batchNormEpsilon,
                                                        activation: ReLU6(), generator: &generator))
        }
        layers.append(Sequential.convNormActivation(hidden, hidden, kernelSize: 3, stride: stride, groups: hidden,
                                                    padding: c.padding, batchNorm: c.batchNorm,
                                                    batchNormEpsilon: c.batchNormEpsilon, activation: ReLU6(),
                                                    generator: &generator))
        layers.append(Conv2D(hidden, outputChannels, kernelSize: 1, bias: !c.batchNorm,
                             weightInitializer: zooConvolutionInitializer, biasInitializer: .zeros, generator: &generator))
        if c.batchNorm { layers.append(BatchNorm2D(outputChannels, epsilon: c.batchNormEpsilon)) }
        conv = Sequential(layers)
        usesResidual = stride == 1 && inputChannels == outputChannels
    }

    /// The block's output, plus the input when residual (the sum is written into the block's
    /// fresh output: see ``Tensor/+(_:_:)``).
    public override func forward(_ input: Tensor) -> Tensor {
        usesResidual ? conv(input) + input : conv(input)
    }
}
