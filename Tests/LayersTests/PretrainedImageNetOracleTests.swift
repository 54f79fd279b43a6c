import FathomTestSupport
import Foundation
import Testing
import Tensor
import Layers
import Vision

/// End-to-end ImageNet oracles: real photographs through Fathom's own decoders and resampling,
/// into the imported networks, must give the reference top-1 class and probability
/// (../shared/pretrained/README.md).
@Suite struct PretrainedImageNetOracleTests {
    /// RGB samples 0…255 of an image file, `[3, H, W]`.
    static func pixels(_ relativePath: String) throws -> Tensor {
        Tensor(image: try Image(contentsOf: SharedData.pretrainedFile(relativePath)), colorModel: .rgb, scale: .raw)
    }

    /// Softmax of the network's logits for one preprocessed `[3, 224, 224]` image.
    static func probabilities(_ model: Module, _ image: Tensor) -> Tensor {
        InferenceModel(model)(image.unsqueezed(at: 0)).softmax(alongAxis: 1)
    }

    /// EfficientNet-Lite0's evaluation preprocessing: shorter side to 256 (bilinear), centre
    /// crop 224, x = (p − 127)/128.
    @Test(arguments: [("panda1.jpg", 0.958), ("panda2.jpg", 0.90)])
    func efficientNetLite0ClassifiesThePandas(file: String, reference: Float) throws {
        let architecture = PretrainedArchitecture.efficientNetLite0
        let model = EfficientNetLite()
        let report = try PretrainedWeights.load(
            into: model, from: SharedData.pretrainedFile("efficientnet_lite0/efficientnet-lite0-57934424.pth"))
        #expect(report.isComplete, "\(report)")
        let image = CenterCrop(size: 224)(ResizeShorterSide(to: 256, interpolation: .bilinear)(try Self.pixels("efficientnet_lite0/" + file)))
            .normalized(mean: [architecture.pixelOffset], standardDeviation: [architecture.pixelScale])
        #expect(image.shape == [3, 224, 224])
        let p = Self.probabilities(model, image)
        #expect(p.argmax() == 388)  // "giant panda"
        #expect(abs(p[0, 388] - reference) <= 0.01, "\(file): p(giant panda) = \(p[0, 388]), reference \(reference)")
        print("EfficientNet-Lite0 \(file): p(giant panda) = \(p[0, 388]) (reference \(reference))")
    }

    /// MobileNetV2 (TF-Lite, uint8 weights dequantized): the whole image resized to 224×224
    /// (bilinear), x = (p − 128)/128. The reference probabilities come from the uint8 model
    /// with another resampler, so they are matched within ±0.02 (the classes exactly); Fathom
    /// measures 0.785, 0.926 and 0.980, all within 0.005.
    @Test(arguments: [("cat.png", "Egyptian cat", 0.78), ("grace_hopper.png", "military uniform", 0.93),
                      ("bird.png", "chickadee", 0.98)])
    func mobileNetV2ClassifiesTheReferenceImages(file: String, label: String, reference: Float) throws {
        let architecture = PretrainedArchitecture.mobileNetV2TensorFlowLite
        let pretrained = try PretrainedModel(
            "mobilenet-v2", weights: SharedData.pretrainedFile("mobilenet_v2/mobilenet_v2_1.0_224_dequant.safetensors"))
        #expect(pretrained.report.isComplete, "\(pretrained.report)")
        let labels = try String(contentsOf: SharedData.pretrainedFile("mobilenet_v2/imagenet_labels.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(labels.count >= architecture.classCount && labels[0] == "background")

        let image = Resize(size: 224, interpolation: .bilinear)(try Self.pixels("mobilenet_v2/" + file))
            .normalized(mean: [architecture.pixelOffset], standardDeviation: [architecture.pixelScale])
        let p = Self.probabilities(pretrained.model, image)
        #expect(p.shape == [1, 1001])
        let top = p.argmax()
        #expect(labels[top] == label, "\(file): top-1 is \(top) '\(labels[top])'")
        #expect(abs(p[0, top] - reference) <= 0.02, "\(file): p = \(p[0, top]), reference \(reference)")
        print("MobileNetV2 \(file): top-1 \(top) '\(labels[top])' p = \(p[0, top]) (reference \(reference))")
    }
}
