import FathomTestSupport
import Foundation
import Layers
import Serialization
import Tensor
import Testing

/// The forward-pass oracle: the zoo's EfficientNet-Lite0 with the released ImageNet weights
/// must reproduce the logits of an independent NumPy forward pass on the reference image.
@Suite struct EfficientNetLite0OracleTests {
    @Test func pretrainedWeightsReproduceTheReferenceLogits() throws {
        let directory = "efficientnet_lite0/"
        let model = EfficientNetLite(inputChannels: 3, classCount: 1000)
        let report = try model.load(from: SharedData.pretrainedFile(directory + "efficientnet_lite0.safetensors"),
                                    strict: true)
        #expect(report.isComplete)
        // tensors.txt lists 296 entries, of which 49 are num_batches_tracked (not in the file).
        #expect(report.loaded.count == 296 - 49)

        let input = try NPY.read(from: SharedData.pretrainedFile(directory + "panda1_input_nchw.npy")).tensor()
        let reference = try NPY.read(from: SharedData.pretrainedFile(directory + "panda1_logits.npy")).tensor()
        #expect(input.shape == [1, 3, 224, 224])
        #expect(reference.shape == [1, 1000])

        let inference = InferenceModel(model)
        let logits = inference(input)
        try #require(logits.shape == [1, 1000])
        let difference = logits.maxAbsoluteDifference(reference)
        #expect(difference <= 1e-3, "max |logits − reference| = \(difference)")

        let probabilities = logits.softmax(alongAxis: 1)
        #expect(probabilities.argmax() == 388)  // "giant panda"
        #expect(abs(probabilities[0, 388] - 0.958) <= 0.005, "p(panda) = \(probabilities[0, 388])")
        #expect(!logits.requiresGradient)
        print("EfficientNet-Lite0 oracle: max |Δlogit| = \(difference), p(giant panda) = \(probabilities[0, 388])")
    }
}
