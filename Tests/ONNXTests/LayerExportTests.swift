import Foundation
import Layers
import ONNX
import ONNXReference
import Tensor
import Testing

/// The layers the zoo does not use, checked against ONNX Runtime in one small network.
@Suite struct LayerExportTests {
    @Test func everyLayerKindMatchesONNXRuntime() throws {
        var rng = RandomGenerator(seed: 11)
        let model = Sequential(
            Conv2D(2, 6, kernelSize: (3, 2), stride: (2, 1), padding: .explicit(top: 0, bottom: 2, left: 1, right: 0),
                   dilation: (1, 2), generator: &rng),
            BatchNorm2D(6, affine: false), LeakyReLU(negativeSlope: 0.1),
            Residual(Sequential(Conv2D(6, 6, kernelSize: 3, padding: .same, groups: 3, generator: &rng), Tanh())),
            Residual(Conv2D(6, 4, kernelSize: 1, generator: &rng), shortcut: Conv2D(6, 4, kernelSize: 1, bias: false, generator: &rng)),
            AvgPool2D(kernelSize: 3, stride: 2, padding: 1, countIncludePad: false), GELU(),
            MaxPool2D(kernelSize: (2, 1), stride: (1, 1)), Sigmoid(), Identity(),
            AdaptiveAvgPool2D(outputSize: (3, 5)), Flatten(startAxis: 2), Flatten(),
            Dropout(probability: 0.5), Linear(60, 7, generator: &rng), ReLU6(), Linear(7, 3, bias: false, generator: &rng))
        ONNXReferenceSupport.randomizeStatistics(of: model, seed: 12)
        let (logitsError, probabilitiesError, exported) = try ONNXReferenceSupport.compare(model, inputShape: [2, 23, 19], batch: 3)
        #expect(logitsError <= ONNXReferenceSupport.tolerance, "logits differ by \(logitsError)")
        #expect(probabilitiesError <= ONNXReferenceSupport.tolerance)
        #expect(exported.operators.contains("MatMul"), "a 3×5 pool of a map that does not divide evenly is two MatMuls")
    }

    @Test(arguments: [(7, 224), (1, 9), (7, 1)])
    func adaptivePoolingTakesTheFormOfItsSizes(out: Int, side: Int) throws {
        let model = Sequential(AdaptiveAvgPool2D(outputSize: out), Flatten())
        let (error, _, exported) = try ONNXReferenceSupport.compare(model, inputShape: [2, side, side])
        #expect(error <= ONNXReferenceSupport.tolerance)
        let expected = out == 1 ? "GlobalAveragePool" : side % out == 0 ? "AveragePool" : "MatMul"
        #expect(exported.operators.first == expected)
    }
}

/// The optional second output as the sigmoid of each logit.
@Suite struct ProbabilityOutputTests {
    @Test func sigmoidOutputMatchesONNXRuntime() throws {
        var rng = RandomGenerator(seed: 21)
        let model = Sequential(Flatten(), Linear(12, 4, generator: &rng))
        let images = Tensor.normal([3, 3, 2, 2], generator: &rng)
        let exported = try ONNXModel(exporting: model, inputShape: [3, 2, 2],
                                     options: ONNXExportOptions(probabilities: .sigmoid, probabilitiesName: "scores"))
        #expect(exported.operators == ["Flatten", "Gemm", "Sigmoid"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-onnx-\(UUID().uuidString).onnx")
        defer { try? FileManager.default.removeItem(at: file) }
        try exported.write(to: file)
        let result = try ONNXRuntimeCheck.run(model: file, inputs: ["image": images])
        let scores = try #require(result.outputs["scores"], "outputs: \(result.outputs.keys.sorted())")
        let expected = withoutGradients { model(images).sigmoid() }
        #expect(ONNXRuntimeCheck.largestRelativeError(scores, expected) <= ONNXReferenceSupport.tolerance)
    }
}
