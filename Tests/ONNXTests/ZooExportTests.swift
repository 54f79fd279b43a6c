import Foundation
import Layers
import ONNX
import Tensor
import Testing

/// Every zoo architecture exports, passes `onnx.checker` and gives Fathom's logits in ONNX
/// Runtime within ``ONNXReferenceSupport/tolerance``. Sizes are small to keep the suite fast;
/// even sizes make TF-SAME stride-2 convolutions pad asymmetrically, odd ones symmetrically.
/// Serialized: the VGGs are 0.5 GB files each.
@Suite(.serialized) struct ZooExportTests {
    /// (zoo name, input channels, side).
    static let cases: [(String, Int, Int)] = [
        ("compact-cnn", 1, 28), ("vgg11", 3, 32), ("vgg11-bn", 1, 32), ("vgg16", 1, 32), ("vgg16-bn", 3, 32),
        ("resnet18", 1, 64), ("resnet34", 3, 40), ("mobilenet-v2", 3, 64), ("mobilenet-v2-tflite", 3, 64),
        ("mobilenet-v2-tflite", 1, 57), ("efficientnet-lite0", 3, 64), ("efficientnet-lite0", 1, 57),
    ]

    @Test(arguments: cases)
    func zooModelMatchesONNXRuntime(name: String, channels: Int, side: Int) throws {
        let model = try ModelZoo.make(name, inputChannels: channels, classCount: 3, seed: 5)
        ONNXReferenceSupport.randomizeStatistics(of: model, seed: 6)
        let (logitsError, probabilitiesError, exported) = try ONNXReferenceSupport.compare(model, inputShape: [channels, side, side])
        #expect(logitsError <= ONNXReferenceSupport.tolerance, "\(name) at \(side) px: logits differ by \(logitsError)")
        #expect(probabilitiesError <= ONNXReferenceSupport.tolerance, "\(name): probabilities differ by \(probabilitiesError)")
        #expect(!exported.operators.contains("Dropout"))
        #expect(Set(exported.initializerNames).isSuperset(of: model.stateDictionary().keys), "every weight is an initializer by its name")
    }

    @Test(arguments: ["mobilenet-v2-tflite", "efficientnet-lite0"])
    func fineTunedModelMatchesONNXRuntime(name: String) throws {
        let model = try #require(try ModelZoo.make(name, inputChannels: 3, classCount: 1000, seed: 2) as? any FineTunable)
        model.adapt(inputChannels: 1, classCount: 2, seed: 3)
        ONNXReferenceSupport.randomizeStatistics(of: model, seed: 4)
        let (logitsError, _, exported) = try ONNXReferenceSupport.compare(model, inputShape: [1, 48, 48])
        #expect(logitsError <= ONNXReferenceSupport.tolerance, "fine-tuned \(name): logits differ by \(logitsError)")
        #expect(exported.outputShape == [2])
    }

    @Test func batchIsDynamic() throws {
        let model = CompactCNN(inputChannels: 1, classCount: 2, seed: 1)
        ONNXReferenceSupport.randomizeStatistics(of: model, seed: 2)
        for batch in [1, 5] {
            let (logitsError, _, _) = try ONNXReferenceSupport.compare(model, inputShape: [1, 32, 32], batch: batch)
            #expect(logitsError <= ONNXReferenceSupport.tolerance, "batch \(batch): logits differ by \(logitsError)")
        }
    }
}
