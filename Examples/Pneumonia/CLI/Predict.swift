import ArgumentParser
import Foundation
import PneumoniaKit

/// `pneumonia predict`: label and probability for each image, optionally with a Grad-CAM overlay.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict NORMAL or PNEUMONIA for chest X-ray images (PNG, JPEG or DICOM, any size).",
        discussion: "Research use only; not a medical device.")

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @Flag(help: "Print JSON lines instead of text.")
    var json = false

    @Flag(help: "Report the network's raw score instead of the calibrated probability (the run's calibration).")
    var uncalibrated = false

    @Option(help: "Write a Grad-CAM overlay PNG (with several images: OUT-1.png, OUT-2.png, …).")
    var heatmap: String?

    @Argument(help: "Image files.")
    var images: [String]

    func run() throws {
        let classifier = try Classifier(run: RunDirectory(URL(fileURLWithPath: model)), calibrated: !uncalibrated)
        var failures = 0
        for (i, path) in images.enumerated() {
            do {
                let heatmapPath = heatmap.map { images.count == 1 ? $0 : Self.numbered($0, i + 1) }
                let prediction = try FilePrediction(file: path, classifier: classifier, heatmap: heatmapPath)
                if json {
                    print(String(decoding: try JSONSerialization.data(withJSONObject: prediction.jsonObject, options: [.sortedKeys]),
                                 as: UTF8.self))
                } else {
                    print(String(format: "%@: %@ (%@ %.4f, threshold %.3f)%@", path, prediction.label,
                                 classifier.isCalibrated ? "pneumonia probability" : "uncalibrated pneumonia score", prediction.probability,
                                 prediction.threshold, (prediction.dicom.map { ", DICOM \($0.photometricInterpretation), \($0.display)" } ?? "")
                                    + (heatmapPath.map { ", heatmap \($0)" } ?? "")))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    static func numbered(_ path: String, _ n: Int) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.isEmpty ? "png" : url.pathExtension
        return url.deletingPathExtension().path + "-\(n).\(ext)"
    }
}
