/// The zoo's architectures by name, for command-line tools and configuration files.
///
/// ```swift
/// let model = try ModelZoo.make("resnet18", inputChannels: 1, classCount: 2, seed: 42)
/// ```
public enum ModelZoo {
    /// The names ``make(_:inputChannels:classCount:seed:)`` accepts. `mobilenet-v2-tflite` is
    /// MobileNetV2 as TF-Lite exports it (SAME padding, batch norm folded into biases), the
    /// architecture of its published ImageNet weights (see ``PretrainedArchitecture``).
    public static let names = ["compact-cnn", "vgg11", "vgg11-bn", "vgg16", "vgg16-bn", "resnet18", "resnet34",
                               "mobilenet-v2", "mobilenet-v2-tflite", "efficientnet-lite0"]

    /// A freshly initialized model of the architecture `name` (one of ``names``).
    /// - Throws: ``ModelZooError/unknownModel(name:available:)`` for any other name.
    public static func make(_ name: String, inputChannels: Int = 3, classCount: Int = 1000,
                            seed: UInt64 = 0) throws -> Module {
        switch name {
        case "compact-cnn": CompactCNN(inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "vgg11": VGG(.vgg11, inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "vgg11-bn": VGG(.vgg11, batchNorm: true, inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "vgg16": VGG(.vgg16, inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "vgg16-bn": VGG(.vgg16, batchNorm: true, inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "resnet18": ResNet.resnet18(inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "resnet34": ResNet.resnet34(inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "mobilenet-v2": MobileNetV2(inputChannels: inputChannels, classCount: classCount, seed: seed)
        case "mobilenet-v2-tflite":
            MobileNetV2(inputChannels: inputChannels, classCount: classCount, configuration: .tensorFlowLite, seed: seed)
        case "efficientnet-lite0": EfficientNetLite(inputChannels: inputChannels, classCount: classCount, seed: seed)
        default: throw ModelZooError.unknownModel(name: name, available: names)
        }
    }
}

/// Why ``ModelZoo`` could not build a model.
public enum ModelZooError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No architecture is called `name`; `available` lists those that are.
    case unknownModel(name: String, available: [String])

    /// A message naming the unknown model and the known ones.
    public var description: String {
        switch self {
        case let .unknownModel(name, available):
            "unknown model '\(name)'; available models: \(available.joined(separator: ", "))"
        }
    }
}
