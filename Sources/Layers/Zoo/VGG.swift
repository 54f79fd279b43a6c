import Tensor

/// VGG (Simonyan & Zisserman, 2015) in torchvision's layout: `features.N` (3×3 convolutions,
/// optional batch norm, ReLU, max pools), `avgpool` (adaptive to 7×7), `classifier.N` (three
/// linear layers with ReLU and dropout; the last is `classifier.6`).
///
/// Initialized as torchvision: convolutions Kaiming-normal (fan-out, ReLU) with zero bias,
/// batch norm 1 and 0, linear layers normal(0, 0.01) with zero bias.
public final class VGG: Module {
    /// The depth of the network.
    public enum Variant: Sendable, CaseIterable {
        /// Configuration "A": 8 convolutions.
        case vgg11
        /// Configuration "B": 10 convolutions.
        case vgg13
        /// Configuration "D": 13 convolutions.
        case vgg16
        /// Configuration "E": 16 convolutions.
        case vgg19

        /// Output channels of each convolution, `nil` for a 2×2 max pool.
        var layout: [Int?] {
            switch self {
            case .vgg11: [64, nil, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512, nil]
            case .vgg13: [64, 64, nil, 128, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512, nil]
            case .vgg16: [64, 64, nil, 128, 128, nil, 256, 256, 256, nil, 512, 512, 512, nil, 512, 512, 512, nil]
            case .vgg19: [64, 64, nil, 128, 128, nil, 256, 256, 256, 256, nil, 512, 512, 512, 512, nil,
                          512, 512, 512, 512, nil]
            }
        }
    }

    /// The convolutional feature extractor.
    public var features: Sequential
    /// Adaptive average pooling to 7×7, so any input of at least 32×32 fits the classifier.
    public let avgpool = AdaptiveAvgPool2D(outputSize: 7)
    /// Linear 25088→4096, ReLU, dropout, linear 4096→4096, ReLU, dropout, linear 4096→classes.
    public var classifier: Sequential

    /// A VGG network.
    /// - Parameters:
    ///   - batchNorm: whether each convolution is followed by batch norm (`vgg16_bn`).
    ///   - dropout: the probability of both dropout layers.
    ///   - seed: fixes the initial weights and the dropout streams.
    public init(_ variant: Variant, batchNorm: Bool = false, inputChannels: Int = 3, classCount: Int = 1000,
                dropout: Float = 0.5, seed: UInt64 = 0) {
        var rng = RandomGenerator(seed: seed)
        var layers: [Module] = []
        var channels = inputChannels
        for width in variant.layout {
            guard let width else {
                layers.append(MaxPool2D(kernelSize: 2))
                continue
            }
            layers.append(Conv2D(channels, width, kernelSize: 3, padding: .symmetric(1),
                                 weightInitializer: zooConvolutionInitializer, biasInitializer: .zeros, generator: &rng))
            if batchNorm { layers.append(BatchNorm2D(width)) }
            layers.append(ReLU())
            channels = width
        }
        features = Sequential(layers)
        func linear(_ input: Int, _ output: Int) -> Linear {
            Linear(input, output, weightInitializer: .normal(standardDeviation: 0.01), biasInitializer: .zeros,
                   generator: &rng)
        }
        classifier = Sequential(
            linear(channels * 7 * 7, 4096), ReLU(), Dropout(probability: dropout, generator: rng.split()),
            linear(4096, 4096), ReLU(), Dropout(probability: dropout, generator: rng.split()),
            linear(4096, classCount))
    }

    /// Class logits `[N, classCount]` for images `[N, inputChannels, H, W]`.
    public override func forward(_ input: Tensor) -> Tensor {
        classifier(avgpool(features(input)).flattened(startAxis: 1))
    }
}
