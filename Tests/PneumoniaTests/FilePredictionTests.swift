import Foundation
import PneumoniaKit
import Testing
import Vision

/// `pneumonia predict`'s work on one file: the same probability as the classifier, and error
/// lines that name the file once — whether or not the underlying error names it.
@Suite struct FilePredictionTests {
    /// How many times `part` occurs in `text`.
    static func occurrences(of part: String, in text: String) -> Int {
        text.components(separatedBy: part).count - 1
    }

    @Test func predictsARealXRay() throws {
        let classifier = try ServeFixture.classifier()
        let xray = try ServeFixture.xray()
        let prediction = try FilePrediction(file: xray.path, classifier: classifier)
        #expect(prediction.probability == classifier.probability(of: try Image(contentsOf: xray)))
        #expect(prediction.label == classifier.label(for: prediction.probability))
        #expect(prediction.threshold == 0.4 && prediction.heatmap == nil)
    }

    @Test func errorMessagesNameTheFileOnce() throws {
        let classifier = try ServeFixture.classifier()
        let folder = try XRayFolderFixture.temporaryFolder()
        let notAnImage = folder.appendingPathComponent("notes.png")
        try Data("these are notes, not pixels".utf8).write(to: notAnImage)
        let missing = folder.appendingPathComponent("missing.jpeg").path
        // Reading and decoding errors name the file themselves.
        var messages: [String] = []
        for file in [notAnImage.path, missing] {
            let error = #expect(throws: FilePredictionError.self) { try FilePrediction(file: file, classifier: classifier) }
            let message = error.map { "\($0)" } ?? ""
            #expect(Self.occurrences(of: file, in: message) == 1, "\(message)")
            messages.append(message)
        }
        #expect(messages[0].contains("is not a PNG or JPEG image"))
        #expect(messages[1].contains("cannot read image file"))

        // An error that names another file (the heat map that cannot be written) gets the image's name.
        let xray = try ServeFixture.xray().path
        let heatmap = folder.appendingPathComponent("no-such-folder/heatmap.png").path
        let unwritable = #expect(throws: FilePredictionError.self) {
            try FilePrediction(file: xray, classifier: classifier, heatmap: heatmap)
        }
        let line = unwritable.map { "\($0)" } ?? ""
        #expect(Self.occurrences(of: xray, in: line) == 1 && Self.occurrences(of: heatmap, in: line) == 1, "\(line)")
    }
}
