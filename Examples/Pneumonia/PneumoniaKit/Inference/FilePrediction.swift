import Foundation
import Vision

/// One image file (PNG, JPEG or DICOM) through a classifier, as `pneumonia predict` reports
/// it: the label and pneumonia probability at the run's threshold, the DICOM fields used, and
/// optionally a Grad-CAM overlay written to a PNG.
public struct FilePrediction: Sendable {
    /// The image file, as given.
    public let file: String
    /// The predicted class name.
    public let label: String
    /// The pneumonia probability.
    public let probability: Float
    /// Whether ``probability`` is calibrated (the run's calibration) or the raw score.
    public let calibrated: Bool
    /// The run's decision threshold.
    public let threshold: Float
    /// Where the Grad-CAM overlay was written, if one was asked for.
    public let heatmap: String?
    /// For a DICOM file, the fields its picture came from.
    public let dicom: DICOMSummary?

    /// Reads and scores `file`; writes its Grad-CAM overlay to `heatmap` when given.
    ///
    /// - Throws: ``FilePredictionError``, whose message names `file` exactly once.
    public init(file: String, classifier: Classifier, heatmap: String? = nil) throws(FilePredictionError) {
        do {
            let input = try InputImage(contentsOfFile: file)
            let image = input.image
            dicom = input.dicom
            probability = classifier.probability(of: image)
            if let heatmap {
                try GradCAM(classifier: classifier).overlay(for: image).write(to: URL(fileURLWithPath: heatmap), format: .png)
            }
        } catch {
            throw FilePredictionError(file: file, reason: error)
        }
        self.file = file
        self.heatmap = heatmap
        label = classifier.label(for: probability)
        threshold = classifier.threshold
        calibrated = classifier.isCalibrated
    }

    /// The line `predict --json` prints for this file.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = ["file": file, "label": label, "probability": Double(probability),
                                     "calibrated": calibrated, "threshold": Double(threshold)]
        if let heatmap { object["heatmap"] = heatmap }
        if let dicom { object["dicom"] = dicom.jsonObject }
        return object
    }
}

/// Why an image file could not be predicted. Decoding errors already name the file, others
/// (a model without Grad-CAM, say) do not: the message names it once either way — the single
/// place `pneumonia predict`'s error lines are made.
public struct FilePredictionError: Error, CustomStringConvertible {
    /// The image file, as given.
    public let file: String
    /// What went wrong.
    public let reason: any Error

    /// The reason, preceded by the file unless it names the file itself.
    public var description: String {
        let reason = "\(reason)"
        return reason.contains(file) ? reason : "\(file): \(reason)"
    }
}
