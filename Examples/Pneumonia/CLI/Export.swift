import ArgumentParser
import Foundation
import ONNX
import PneumoniaKit

/// `pneumonia export`: a run's model as an ONNX file, for ONNX Runtime, TensorRT and the like.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a trained run's model to ONNX (opset 17), with its preprocessing, classes and threshold.",
        discussion: """
            The file has one input `image` [N, C, S, S] (dynamic batch N, normalized as in training), and the outputs \
            `logits` and `probabilities` (softmax; with test-time augmentation the mean over the run's shifted views, \
            as predict computes it, and `logits` those of the image itself; then the run's calibration, unless \
            --uncalibrated). Its metadata_props hold the preprocessing (image_size, channels, geometry, intensity, \
            interpolation, mean, std), the classes, the positive class, the calibration and the threshold on its scale. \
            Research use only; not a medical device.
            """)

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @Option(help: "The ONNX file to write.")
    var onnx: String

    @Flag(help: "Export the network's raw scores, without the run's probability calibration.")
    var uncalibrated = false

    func run() throws {
        let classifier = try Classifier(run: RunDirectory(URL(fileURLWithPath: model)), calibrated: !uncalibrated)
        let exported = try classifier.onnxModel()
        let destination = URL(fileURLWithPath: (onnx as NSString).expandingTildeInPath)
        try exported.write(to: destination)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int) ?? 0
        let shape = exported.inputShape.map(String.init).joined(separator: ", ")
        print("wrote \(destination.path) (\(bytes) bytes): input image [N, \(shape)], outputs logits and probabilities "
            + "[N, \(exported.outputShape[0])], \(exported.operators.count) nodes, opset \(ONNXModel.opsetVersion)")
    }
}
