import DICOMTestWriter
import Foundation
import PneumoniaKit
import PneumoniaServe
import Testing
import Vision

/// Real chest X-rays (the Kaggle originals, full size) written as DICOM by the test — MONOCHROME2
/// and MONOCHROME1 (inverted), 8 and 16 bits, with an identity window or none — go through
/// `predict` (``FilePrediction``) and `serve` exactly as their JPEGs do: the same probability
/// to the last bit where the display values equal the JPEG's pixels, the min–max-stretched
/// picture's where no window is given. Reported DICOM fields are technical only.
@Suite struct DICOMPredictionTests {
    /// A DICOM variant of an 8-bit gray picture with samples `p`.
    struct Variant: Sendable {
        let name: String
        let stored: @Sendable (Int) -> Int
        let bits: Int
        let photometric: String
        let window: (center: String, width: String)?
        /// Whether the display values equal `p` (else they are `p` stretched min to max).
        let identity: Bool
    }

    static let variants: [Variant] = [
        Variant(name: "MONOCHROME2 8-bit, window 128/256", stored: { $0 }, bits: 8, photometric: "MONOCHROME2", window: ("128", "256"), identity: true),
        Variant(name: "MONOCHROME1 8-bit, window 128/256", stored: { 255 - $0 }, bits: 8, photometric: "MONOCHROME1", window: ("128", "256"), identity: true),
        Variant(name: "MONOCHROME2 16-bit, window 32768/65536", stored: { $0 * 257 }, bits: 16, photometric: "MONOCHROME2",
                window: ("32768", "65536"), identity: true),
        Variant(name: "MONOCHROME1 16-bit, window 32768/65536", stored: { 65535 - $0 * 257 }, bits: 16, photometric: "MONOCHROME1",
                window: ("32768", "65536"), identity: true),
        Variant(name: "MONOCHROME2 8-bit, no window", stored: { $0 }, bits: 8, photometric: "MONOCHROME2", window: nil, identity: false),
        Variant(name: "MONOCHROME1 16-bit, no window", stored: { 65535 - $0 * 257 }, bits: 16, photometric: "MONOCHROME1", window: nil,
                identity: false),
    ]

    /// Two normal and two pneumonia originals, decoded by Fathom as gray 8-bit pictures.
    static func originals() throws -> [(url: URL, image: Image, pixels: [UInt8])] {
        try ["NORMAL/NORMAL2-IM-1427-0001.jpeg", "NORMAL/NORMAL2-IM-1430-0001.jpeg",
             "PNEUMONIA/person1946_bacteria_4874.jpeg", "PNEUMONIA/person1947_bacteria_4876.jpeg"].map { name in
            let url = try ServeFixture.xray(name)
            let image = try Image(contentsOf: url)
            guard image.channels == 1, case .uint8(let pixels) = image.samples else {
                Issue.record("\(name) is not an 8-bit gray JPEG")
                throw CocoaError(.fileReadCorruptFile)
            }
            return (url, image, pixels)
        }
    }

    /// `p` stretched from its smallest to its largest value onto 0…255, as a viewer shows a
    /// DICOM file without a window: ⌊255 · (p − min) / (max − min) + 0.5⌋.
    static func stretched(_ pixels: [UInt8], width: Int, height: Int) -> Image {
        let low = Double(pixels.min() ?? 0), high = Double(pixels.max() ?? 255)
        let values = pixels.map { UInt8((255 * (Double($0) - low) / max(high - low, 1) + 0.5).rounded(.down)) }
        return Image(width: width, height: height, colorModel: .gray, pixels: values)
    }

    @Test func everyVariantPredictsAsItsJPEGAndReportsOnlyTechnicalFields() throws {
        let classifier = try ServeFixture.classifier()
        let folder = try XRayFolderFixture.temporaryFolder()
        for original in try Self.originals() {
            let jpeg = try FilePrediction(file: original.url.path, classifier: classifier)
            #expect(jpeg.dicom == nil)
            for variant in Self.variants {
                let writer = DICOMTestWriter.grayscale(width: original.image.width, height: original.image.height,
                                                       stored: original.pixels.map { variant.stored(Int($0)) }, bits: variant.bits,
                                                       photometric: variant.photometric, window: variant.window)
                let file = folder.appendingPathComponent("\(UUID().uuidString).dcm")
                try Data(writer.file()).write(to: file)
                let prediction = try FilePrediction(file: file.path, classifier: classifier)
                let expected = variant.identity ? jpeg.probability
                    : classifier.probability(of: Self.stretched(original.pixels, width: original.image.width, height: original.image.height))
                #expect(prediction.probability == expected, "\(original.url.lastPathComponent) as \(variant.name)")
                #expect(prediction.label == classifier.label(for: expected))

                let dicom = try #require(prediction.dicom)
                #expect(dicom.photometricInterpretation == variant.photometric && dicom.modality == "DX")
                #expect(dicom.bitsStored == variant.bits && dicom.rows == original.image.height && dicom.columns == original.image.width)
                #expect(dicom.display.hasPrefix(variant.window == nil ? "min-max" : "window"))
                let json = String(decoding: try JSONSerialization.data(withJSONObject: prediction.jsonObject), as: UTF8.self)
                #expect(json.contains("\"photometric_interpretation\":\"\(variant.photometric)\""))
                #expect(!json.contains("Doe") && !json.contains("PATIENT-12345"), "no patient tag in \(json)")
            }
        }
    }

    @Test func serveTakesApplicationDICOMAndAnswersAsPredict() async throws {
        let original = try Self.originals()[2]
        let classifier = try ServeFixture.classifier()
        let writer = DICOMTestWriter.grayscale(width: original.image.width, height: original.image.height,
                                               stored: original.pixels.map { 65535 - Int($0) * 257 }, bits: 16,
                                               photometric: "MONOCHROME1", window: ("32768", "65536"))
        let server = try await ServeTestServer.start()
        let reply = try await server.send("POST", "/api/v1/predict", body: Data(writer.file()), contentType: "application/dicom")
        await server.stop()
        #expect(reply.status == 200)
        let json = try reply.json()
        let probability = try #require(json["probability"] as? Double)
        #expect(Float(probability) == classifier.probability(of: original.image))
        let dicom = try #require(json["dicom"] as? [String: Any])
        #expect(dicom["photometric_interpretation"] as? String == "MONOCHROME1" && dicom["bits_stored"] as? Int == 16)
        #expect(dicom["patient_name"] == nil && !"\(json)".contains("Doe"))
    }
}
