import FathomTestSupport
import Foundation
import Layers
import Serialization
import Tensor
import Testing

/// Importing published ImageNet weights: the PyTorch checkpoint and its safetensors copy give
/// the same network, the TF-Lite MobileNetV2 maps onto the zoo by operator order with every
/// tensor placed, and shape mismatches are typed errors naming the tensor and both shapes.
@Suite struct PretrainedImportTests {
    static let efficientNet = "efficientnet_lite0/"
    static let mobileNet = "mobilenet_v2/mobilenet_v2_1.0_224_dequant.safetensors"

    @Test func efficientNetFromPthAndSafeTensorsIsIdentical() throws {
        let pth = try SharedData.pretrainedFile(Self.efficientNet + "efficientnet-lite0-57934424.pth")
        let safetensors = try SharedData.pretrainedFile(Self.efficientNet + "efficientnet_lite0.safetensors")
        let fromPth = EfficientNetLite(), fromSafeTensors = EfficientNetLite(seed: 1)
        let pthReport = try PretrainedWeights.load(into: fromPth, from: pth)
        let safeReport = try PretrainedWeights.load(into: fromSafeTensors, from: safetensors, layout: .pytorch)

        // Every tensor placed, every parameter and buffer set; only the counters are ignored.
        for report in [pthReport, safeReport] {
            #expect(report.isComplete, "\(report)")
            #expect(report.missing.isEmpty && report.unexpected.isEmpty && report.mismatched.isEmpty)
            #expect(report.loaded.count == 296 - 49)  // tensors.txt: 296 entries, 49 num_batches_tracked
        }
        #expect(pthReport.ignored.count == 49)
        #expect(safeReport.ignored.isEmpty)

        // Identical tensors, bit for bit.
        let a = fromPth.stateDictionary(), b = fromSafeTensors.stateDictionary()
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, tensor) in a {
            #expect(FineTuningTests.identical(tensor, b[name]), "\(name) differs")
        }

        // Identical logits on the reference input.
        let input = try NPY.read(from: SharedData.pretrainedFile(Self.efficientNet + "panda1_input_nchw.npy")).tensor()
        let logitsA = InferenceModel(fromPth)(input), logitsB = InferenceModel(fromSafeTensors)(input)
        #expect(logitsA.shape == [1, 1000])
        #expect(FineTuningTests.identical(logitsA, logitsB))
        #expect(logitsA.argmax() == 388)
    }

    @Test func mobileNetV2FromTensorFlowLitePlacesEveryTensor() throws {
        let url = try SharedData.pretrainedFile(Self.mobileNet)
        let file = try SafeTensors.read(from: url)
        #expect(PretrainedLayout(detectingFrom: file.names) == .tensorFlowLite)
        let model = MobileNetV2(classCount: 1001, configuration: .tensorFlowLite)
        let report = try PretrainedWeights.load(into: model, from: url)
        #expect(report.isComplete, "\(report)")
        #expect(report.loaded.count == file.names.count && file.names.count == 106)

        // Layout conversions, checked element by element against the file: OHWI → OIHW for the
        // stem, 1HWC → C1HW for the first depthwise convolution, [O, 1, 1, I] → [O, I] for the
        // classifier, and biases as they are.
        let weights = model.stateDictionary()
        let stem = try #require(weights["features.0.0.weight"]), stemFile = try #require(file["00_conv.weight"])
        #expect(stem.shape == [32, 3, 3, 3])
        for (o, i, h, w) in [(0, 0, 0, 0), (5, 2, 1, 0), (31, 1, 2, 2), (17, 0, 0, 2)] {
            #expect(stem[o, i, h, w] == stemFile[o, h, w, i])
        }
        let depthwise = try #require(weights["features.1.conv.0.0.weight"]), depthwiseFile = try #require(file["01_dwconv.weight"])
        #expect(depthwise.shape == [32, 1, 3, 3])
        for (c, h, w) in [(0, 0, 0), (7, 1, 2), (31, 2, 1)] { #expect(depthwise[c, 0, h, w] == depthwiseFile[0, h, w, c]) }
        let classifier = try #require(weights["classifier.1.weight"]), classifierFile = try #require(file["63_conv.weight"])
        #expect(classifier.shape == [1001, 1280])
        for (o, i) in [(0, 0), (388, 1000), (1000, 1279)] { #expect(classifier[o, i] == classifierFile[o, 0, 0, i]) }
        #expect(FineTuningTests.identical(weights["features.18.0.bias"], file["61_conv.bias"]))
    }

    @Test func wrongShapeIsATypedErrorNamingTheTensorAndLoadsNothing() throws {
        let url = try SharedData.pretrainedFile(Self.efficientNet + "efficientnet_lite0.safetensors")
        var tensors = try SafeTensors.read(from: url).tensors
        tensors["_blocks.3._bn1.running_var"] = Tensor.ones([145])
        let model = EfficientNetLite(seed: 3)
        let before = model.stateDictionary()
        #expect(throws: PretrainedWeightsError.shapeMismatch(file: "weights.safetensors", tensor: "_blocks.3._bn1.running_var",
                                                             parameter: "_blocks.3._bn1.running_var", expected: [144], found: [145])) {
            try PretrainedWeights.load(into: model, tensors: tensors, layout: .pytorch, source: "weights.safetensors")
        }
        #expect(FineTuningTests.identical(model.stateDictionary()["_conv_stem.weight"], before["_conv_stem.weight"]))

        // TF-Lite: the error names the file's tensor and where it would have gone, with both
        // shapes in the model's layout.
        var tflite = try SafeTensors.read(from: SharedData.pretrainedFile(Self.mobileNet)).tensors
        tflite["05_conv.weight"] = Tensor.zeros([24, 1, 1, 95])
        let mobile = MobileNetV2(classCount: 1001, configuration: .tensorFlowLite)
        let error = #expect(throws: PretrainedWeightsError.self) {
            try PretrainedWeights.load(into: mobile, tensors: tflite, layout: .tensorFlowLite)
        }
        #expect(error == .shapeMismatch(file: "<memory>", tensor: "05_conv.weight", parameter: "features.2.conv.2.weight",
                                        expected: [24, 96, 1, 1], found: [24, 95, 1, 1]))
        #expect(error.map { "\($0)" }?.contains("05_conv.weight") == true)

        // Loading TF-Lite weights into the PyTorch-style MobileNetV2 (batch norm, no biases)
        // cannot go unnoticed either.
        let torchvisionStyle = MobileNetV2(classCount: 1001)
        let report = try PretrainedWeights.load(into: torchvisionStyle, tensors: try SafeTensors.read(
            from: SharedData.pretrainedFile(Self.mobileNet)).tensors, layout: .tensorFlowLite)
        #expect(!report.isComplete)
        #expect(report.unexpected.contains("00_conv.bias"))
        #expect(report.missing.contains("features.0.1.running_mean"))
    }

    @Test func architecturesResolveFromTheWeightsLayout() throws {
        #expect(try PretrainedArchitecture.resolve(model: "mobilenet-v2", layout: .tensorFlowLite).name == "mobilenet-v2-tflite")
        #expect(try PretrainedArchitecture.resolve(model: "efficientnet-lite0", layout: .pytorch).classCount == 1000)
        #expect(throws: PretrainedWeightsError.self) { try PretrainedArchitecture.resolve(model: "resnet18", layout: .pytorch) }
        #expect(throws: PretrainedWeightsError.self) {
            try PretrainedArchitecture.resolve(model: "efficientnet-lite0", layout: .tensorFlowLite)
        }
        #expect(PretrainedLayout(detectingFrom: ["_fc.weight", "03_conv.weight"]) == .pytorch)
        #expect(PretrainedLayout(detectingFrom: [String]()) == .pytorch)

        let pretrained = try PretrainedModel("mobilenet-v2", weights: SharedData.pretrainedFile(Self.mobileNet))
        #expect(pretrained.architecture == .mobileNetV2TensorFlowLite)
        #expect(pretrained.report.isComplete)
        #expect(pretrained.model.classifierHead.outputFeatures == 1001)
    }

    @Test func unreadableFilesThrowNamingThePath() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("absent.pth")
        let error = #expect(throws: SerializationError.self) { try PretrainedWeights.read(from: missing) }
        #expect(error.map { "\($0)" }?.contains("absent.pth") == true)
        let garbage = directory.url.appendingPathComponent("garbage.safetensors")
        try Data(repeating: 0x80, count: 40).write(to: garbage)
        #expect(throws: (any Error).self) { try PretrainedWeights.read(from: garbage) }
    }
}
