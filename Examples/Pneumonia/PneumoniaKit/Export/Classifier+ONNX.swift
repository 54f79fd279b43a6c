import Foundation
import Layers
import ONNX
import Tensor
import Vision

extension Classifier {
    /// The network as an ONNX model for deployment without Fathom: input `image`
    /// `[N, C, S, S]` (dynamic batch), outputs `logits` and `probabilities` (softmax over the
    /// classes and, when this classifier ``isCalibrated``, the run's calibration: as
    /// ``probabilities(batch:)`` computes them), and in `metadata_props` everything a consumer
    /// needs to prepare images as training did (``onnxMetadata``).
    ///
    /// A run with test-time augmentation is exported with its views (``onnxInputViews``):
    /// `probabilities` is then their mean, as `predict` computes it, and `logits` those of the
    /// image itself.
    /// - Throws: `ONNXExportError` when a layer has no ONNX form.
    public func onnxModel() throws -> ONNXModel {
        let p = metadata.preprocessing
        return try ONNXModel(exporting: model, inputShape: [p.channels, p.imageSize, p.imageSize],
                             options: ONNXExportOptions(probabilities: .softmax, calibration: onnxCalibration, metadata: onnxMetadata,
                                                        documentation: "Fathom \(metadata.architecture) pneumonia classifier (research use only, not a medical device)",
                                                        inputViews: try onnxInputViews()))
    }

    /// The run's calibration in the exported graph, when this classifier applies it.
    var onnxCalibration: ONNXBinaryCalibration? {
        guard isCalibrated, let calibration = metadata.calibration else { return nil }
        return ONNXBinaryCalibration(positiveClass: metadata.positiveClass, temperature: Float(calibration.temperature),
                                     intercept: Float(calibration.intercept))
    }

    /// The test-time views as linear maps of the normalized input (none without test-time
    /// augmentation). Each view is a shift along one axis, and the warp is linear in the image
    /// and the fill, so its matrices are the warp itself applied to the identity image (the
    /// weight of each source row or column in each output one) and its offset the warp of a
    /// blank image filled with normalized black: exactly the sampling `predict` does.
    /// - Throws: `RunError.incompatible` for a view that is not a shift along one axis.
    public func onnxInputViews() throws -> [ONNXInputView] {
        guard let augmentation = metadata.testTimeAugmentation else { return [] }
        let p = metadata.preprocessing, side = p.imageSize
        let fill = -p.mean[0] / p.standardDeviation[0]
        let identity = Tensor(shape: [1, side, side]) { out in
            out.update(repeating: 0)
            for i in 0..<side { out[i * side + i] = 1 }
        }
        return try augmentation.views(side: side).map { view in
            guard view != AffineParameters() else { return .identity }
            guard view.angle == 0, view.scale == 1, view.shear == (0, 0), view.translation.x == 0 || view.translation.y == 0 else {
                throw RunError.incompatible("test-time view \(view) is not a shift along one axis; ONNX export takes only those")
            }
            let weights = identity.affineTransformed(view, fill: 0).reshaped(to: [side, side])
            let offset = Tensor.zeros([1, side, side]).affineTransformed(view, fill: fill).reshaped(to: [side, side])
            return view.translation.y == 0 ? ONNXInputView(columns: weights, offset: offset)
                : ONNXInputView(rows: weights, offset: offset)
        }
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
            "threshold": "\(threshold)",
            "calibrated": "\(isCalibrated)",
            "calibration": metadata.calibration.map {
                "\($0.method.rawValue) scaling on validation: probability = sigmoid(log(p / (1 - p)) / \($0.temperature) + \($0.intercept)) "
                    + "of the softmax's p, inside the graph" + (isCalibrated ? "" : " (not applied: exported with --uncalibrated)")
            } ?? "none",
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
                "probabilities average the image and 4 copies shifted by \($0.shift) of the side, inside the graph"
            } ?? "none",
        ]
    }
}
