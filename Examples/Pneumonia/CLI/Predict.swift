import ArgumentParser
import Foundation
import PneumoniaKit
import Vision

/// `pneumonia predict`: label and probability for each image, optionally with a Grad-CAM overlay.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict NORMAL or PNEUMONIA for chest X-ray images (PNG or JPEG, any size).",
        discussion: "Research use only; not a medical device.")

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @Flag(help: "Print JSON lines instead of text.")
    var json = false

    @Option(help: "Write a Grad-CAM overlay PNG (with several images: OUT-1.png, OUT-2.png, …).")
    var heatmap: String?

    @Argument(help: "Image files.")
    var images: [String]

    func run() throws {
        let classifier = try Classifier(run: RunDirectory(URL(fileURLWithPath: model)))
        var failures = 0
        for (i, path) in images.enumerated() {
            do {
                let image = try Image(contentsOfFile: path)
                let probability = classifier.probability(of: image)
                let label = classifier.label(for: probability)
                var heatmapPath: String?
                if let heatmap {
                    heatmapPath = images.count == 1 ? heatmap : Self.numbered(heatmap, i + 1)
                    let overlay = try GradCAM(classifier: classifier).overlay(for: image)
                    try overlay.write(to: URL(fileURLWithPath: heatmapPath!), format: .png)
                }
                if json {
                    var object: [String: Any] = ["file": path, "label": label, "probability": Double(probability),
                                                 "threshold": Double(classifier.metadata.threshold)]
                    if let heatmapPath { object["heatmap"] = heatmapPath }
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    print(String(format: "%@: %@ (pneumonia probability %.4f, threshold %.3f)%@", path, label, probability,
                                 classifier.metadata.threshold, heatmapPath.map { ", heatmap \($0)" } ?? ""))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write("error: \(path): \(error)\n".data(using: .utf8)!)
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
