import Foundation
import Layers
import ONNX

extension Classifier {
    /// The network as an ONNX model for deployment without Fathom: input `image`
    /// `[N, C, S, S]` (dynamic batch), outputs `logits` and `probabilities` (softmax over the
    /// classes, as ``probabilities(batch:)`` computes them), and in `metadata_props` everything
    /// a consumer needs to prepare images as training did (``onnxMetadata``).
    ///
    /// The graph scores one view of each image: a run with test-time augmentation averages five
    /// views in `predict`, which its metadata says but the graph does not do.
    /// - Throws: `ONNXExportError` when a layer has no ONNX form.
    public func onnxModel() throws -> ONNXModel {
        let p = metadata.preprocessing
        return try ONNXModel(exporting: model, inputShape: [p.channels, p.imageSize, p.imageSize],
                             options: ONNXExportOptions(probabilities: .softmax, metadata: onnxMetadata,
                                                        documentation: "Fathom \(metadata.architecture) pneumonia classifier (research use only, not a medical device)"))
    }

    /// The run's preprocessing, classes and threshold as ONNX `metadata_props`: plain strings,
    /// lists as JSON.
    ///
    /// The input for an image is, in order: `channel_conversion`, `intensity`, `geometry`, a
    /// resize to `image_size`×`image_size` by `interpolation`, then per channel
    /// `(pixel / 255 − mean) / std`.
    public var onnxMetadata: [String: String] {
        let p = metadata.preprocessing
        func list(_ values: [Float]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
        return [
            "architecture": metadata.architecture,
            "classes": "[" + metadata.classes.map { "\"\($0)\"" }.joined(separator: ", ") + "]",
            "positive_class": "\(metadata.positiveClass)",
            "threshold": "\(metadata.threshold)",
            "threshold_rule": metadata.thresholdRule,
            "image_size": "\(p.imageSize)",
            "channels": "\(p.channels)",
            "channel_conversion": p.channels == 1 ? "RGB to gray by ITU-R BT.601 luma (PIL convert('L'))"
                : "gray repeated into 3 channels",
            "intensity": (p.intensity ?? .unchanged).rawValue,
            "geometry": p.geometry.rawValue,
            "interpolation": "bilinear, antialiased when downscaling (PIL BILINEAR)",
            "mean": list(p.mean),
            "std": list(p.standardDeviation),
            "input": "(pixel / 255 - mean) / std per channel, pixels 0-255",
            "test_time_augmentation": metadata.testTimeAugmentation.map {
                "predict averages the image and 4 copies shifted by \($0.shift) of the side; this graph scores the image alone"
            } ?? "none",
        ]
    }
}
