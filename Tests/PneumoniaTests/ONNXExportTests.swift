import Foundation
import Layers
import ONNX
import ONNXReference
import PneumoniaKit
import Tensor
import Testing
import Vision

/// `pneumonia export` on a real (tiny) trained run, with and without test-time augmentation:
/// ONNX Runtime on the file gives the network's logits and the pneumonia probabilities that
/// `predict` computes (the mean over the shifted views when the run has them) within
/// 1e-4 · max(1, |x|), and the file's metadata_props carry the preprocessing, classes and
/// threshold.
@Suite(.serialized) struct ONNXExportTests {
    @Test(arguments: [0, 0.04])
    func trainedRunExportsWithItsPreprocessingAndMatchesONNXRuntime(testTimeShift: Double) throws {
        let npz = try PipelineEndToEndTests.makeSubset(train: 160, validation: 64, test: 8)
        let data = try PneumoniaData(source: .npz(npz))
        let run = RunDirectory(npz.deletingLastPathComponent().appendingPathComponent("run"))
        var config = TrainingConfiguration()
        config.epochs = 1
        config.batchSize = 32
        config.seed = 3
        config.testTimeShift = testTimeShift
        config.dataPath = npz.path
        _ = try Trainer(configuration: config, data: data, run: run) { _ in }.train(showProgress: false)

        let classifier = try Classifier(run: run)
        let file = npz.deletingLastPathComponent().appendingPathComponent("model.onnx")
        try classifier.onnxModel().write(to: file)

        // Eight validation images prepared exactly as predict prepares them.
        let preprocessing = classifier.metadata.preprocessing
        let images = try (0..<8).map { try data.validation.sample(at: $0).image }
        let batch = Tensor.concatenate(images.map { preprocessing.input(from: Image(tensor: $0)) }, alongAxis: 0)
        let logits = withoutGradients { classifier.model(batch) }
        let result = try ONNXRuntimeCheck.run(model: file, inputs: ["image": batch])

        let onnxLogits = try #require(result.outputs["logits"])
        let logitsError = ONNXRuntimeCheck.largestRelativeError(onnxLogits, logits)
        #expect(logitsError <= 1e-4, "logits differ by \(logitsError)")
        let positive = classifier.metadata.positiveClass
        let onnxProbabilities = try #require(result.outputs["probabilities"])
        let onnxPositive = onnxProbabilities.slice(alongAxis: 1, start: positive, end: positive + 1).reshaped(to: [8])
        let probabilityError = ONNXRuntimeCheck.largestRelativeError(onnxPositive, Tensor(classifier.probabilities(batch: batch)))
        #expect(probabilityError <= 1e-4, "pneumonia probabilities differ by \(probabilityError)")

        let metadata = result.metadata
        #expect(metadata["classes"] == "[\"NORMAL\", \"PNEUMONIA\"]")
        #expect(metadata["positive_class"] == "\(positive)")
        #expect(metadata["threshold"].flatMap(Float.init) == classifier.metadata.threshold)
        #expect(classifier.isCalibrated && metadata["calibrated"] == "true" && metadata["calibration"]?.hasPrefix("temperature scaling") == true)

        // Exported without the calibration: the raw scores, and the threshold on their scale.
        let raw = try Classifier(run: run, calibrated: false)
        try raw.onnxModel().write(to: file)
        let rawResult = try ONNXRuntimeCheck.run(model: file, inputs: ["image": batch])
        let rawPositive = try #require(rawResult.outputs["probabilities"]).slice(alongAxis: 1, start: positive, end: positive + 1).reshaped(to: [8])
        #expect(ONNXRuntimeCheck.largestRelativeError(rawPositive, Tensor(raw.probabilities(batch: batch))) <= 1e-4)
        #expect(rawResult.metadata["calibrated"] == "false" && rawResult.metadata["threshold"].flatMap(Float.init) == raw.threshold)

        // A Platt calibration (slope and intercept) in the graph, as the classifier applies it.
        var plattMetadata = classifier.metadata
        plattMetadata.calibration = ProbabilityCalibration(temperature: 0.7, intercept: 1.3)
        let platt = Classifier(model: classifier.model, metadata: plattMetadata)
        try platt.onnxModel().write(to: file)
        let plattResult = try ONNXRuntimeCheck.run(model: file, inputs: ["image": batch])
        let plattProbabilities = try #require(plattResult.outputs["probabilities"])
        let plattPositive = plattProbabilities.slice(alongAxis: 1, start: positive, end: positive + 1).reshaped(to: [8])
        #expect(ONNXRuntimeCheck.largestRelativeError(plattPositive, Tensor(platt.probabilities(batch: batch))) <= 1e-4)
        let rowSums = plattProbabilities.sum(alongAxes: [1]).scalars
        #expect(rowSums.allSatisfy { abs($0 - 1) < 1e-6 }, "the two classes' probabilities sum to 1: \(rowSums)")
        #expect(metadata["image_size"] == "28" && metadata["channels"] == "1")
        #expect(metadata["mean"] == "[\(preprocessing.mean[0])]" && metadata["std"] == "[\(preprocessing.standardDeviation[0])]")
        #expect(metadata["geometry"] == preprocessing.geometry.rawValue)
        #expect((metadata["test_time_augmentation"] == "none") == (testTimeShift == 0))
    }
}
