import DICOMTestWriter
import Foundation
import Testing
import Vision

/// Chest X-rays of the shared data written as DICOM by the test writer (never committed) in
/// the encodings and pixel formats hospitals use, decoded back.
///
/// The rule: with the identity-like window (center 128, width 256 in display units, i.e.
/// 32768/65536 for 16-bit samples ×257), or a VOI LUT that is the identity, the decoded
/// image equals the source pixels exactly, whatever the bit depth, sign, rescale or
/// MONOCHROME1 inversion; without a window it equals the min–max stretch of the source.
@Suite("DICOM round trip of chest X-rays")
struct DICOMRoundTripTests {
    typealias Support = DICOMTestSupport

    /// One way of writing gray pixels `p` (0…255) as DICOM, and the expected display image.
    struct Variant: CustomStringConvertible, Sendable {
        let description: String
        let write: @Sendable (_ width: Int, _ height: Int, _ p: [Int]) -> DICOMTestWriter
        /// `nil`: the source pixels; else a function of them.
        var expected: (@Sendable ([Int]) -> [UInt8])? = nil
    }

    static let identityWindow = (center: "128", width: "256")

    static let variants: [Variant] = [
        Variant(description: "MONOCHROME2 8-bit, window") { w, h, p in
            DICOMTestWriter.grayscale(width: w, height: h, stored: p, bits: 8, window: identityWindow)
        },
        Variant(description: "MONOCHROME1 8-bit, window") { w, h, p in
            DICOMTestWriter.grayscale(width: w, height: h, stored: p.map { 255 - $0 }, bits: 8, photometric: "MONOCHROME1",
                              window: identityWindow)
        },
        Variant(description: "MONOCHROME2 16-bit, window, implicit VR") { w, h, p in
            DICOMTestWriter.grayscale(width: w, height: h, stored: p.map { $0 * 257 }, bits: 16, window: ("32768", "65536"),
                              syntax: .implicitLittle)
        },
        Variant(description: "MONOCHROME1 16-bit, window, big endian") { w, h, p in
            DICOMTestWriter.grayscale(width: w, height: h, stored: p.map { (255 - $0) * 257 }, bits: 16, photometric: "MONOCHROME1",
                              window: ("32768", "65536"), syntax: .explicitBig)
        },
        Variant(description: "MONOCHROME2 16-bit signed, rescale, window") { w, h, p in
            DICOMTestWriter.grayscale(width: w, height: h, stored: p.map { $0 * 100 - 12000 }, bits: 16, signed: true,
                              window: identityWindow, rescale: ("0.01", "120"))
        },
        Variant(description: "MONOCHROME2 12 of 16 bits, no window", write: { w, h, p in
            DICOMTestWriter.grayscale(width: w, height: h, stored: p.map { $0 * 16 }, bits: 16, bitsStored: 12)
        }, expected: minMax),
        Variant(description: "MONOCHROME1 8-bit, no window", write: { w, h, p in
            DICOMTestWriter.grayscale(width: w, height: h, stored: p.map { 255 - $0 }, bits: 8, photometric: "MONOCHROME1")
        }, expected: { p in minMax(p.map { 255 - $0 }).map { 255 - $0 } }),
    ]

    /// The min–max stretch of `values` to 0…255, rounded half up.
    static func minMax(_ values: [Int]) -> [UInt8] {
        let low = Double(values.min()!), high = Double(values.max()!)
        return values.map { UInt8(((Double($0) - low) / (high - low) * 255 + 0.5).rounded(.down)) }
    }

    @Test("Gray chest X-rays written as DICOM decode to their pixels", arguments: variants)
    func grayRoundTrip(variant: Variant) throws {
        for (name, source) in try Support.chestXRays() {
            let gray = source.convertedToGray()
            let p = Support.pixels(gray).map(Int.init)
            let file = variant.write(gray.width, gray.height, p).file()
            let decoded = try DICOMImage.decode(file, source: name)
            let expected = variant.expected?(p) ?? p.map { UInt8($0) }
            #expect(decoded.image.colorModel == .gray && decoded.image.width == 224 && decoded.image.height == 224)
            #expect(Support.pixels(decoded.image) == expected, "\(name), \(variant)")
        }
    }

    @Test func identityVOILUTTakesPrecedenceOverTheWindow() throws {
        let (name, source) = try Support.chestXRays(count: 1)[0]
        let gray = source.convertedToGray()
        let p = Support.pixels(gray).map(Int.init)
        // A deliberately wrong window: it would saturate almost everything.
        var w = DICOMTestWriter.grayscale(width: gray.width, height: gray.height, stored: p, bits: 8, window: ("10", "20"))
        var item = DICOMTestWriter(syntax: .explicitLittle)
        item.add(0x0028, 0x3002, "US", item.words([256, 0, 8]))
        item.add(0x0028, 0x3006, "OW", item.words(Array(0..<256)))
        let itemBytes = item.dataSet()
        w.add(0x0028, 0x3010, "SQ", w.u16(0xFFFE) + w.u16(0xE000) + w.u32(UInt32(itemBytes.count)) + itemBytes)
        let decoded = try DICOMImage.decode(w.file(), source: name)
        #expect(Support.pixels(decoded.image) == p.map { UInt8($0) })
        #expect(decoded.info.displayMapping == .lookupTable(entryCount: 256, bitsPerEntry: 8))
    }

    @Test("RGB chest X-rays written as DICOM decode to their pixels", arguments: [0, 1])
    func rgbRoundTrip(planarConfiguration: Int) throws {
        for (name, source) in try Support.chestXRays(count: 2) {
            let rgb = Support.pixels(source)
            let plane = source.width * source.height
            let stored = planarConfiguration == 0 ? rgb : (0..<rgb.count).map { rgb[($0 % plane) * 3 + $0 / plane] }
            var w = DICOMTestWriter()
            w.text(0x0008, 0x0060, "CS", "OT")
            w.us(0x0028, 0x0002, 3)
            w.text(0x0028, 0x0004, "CS", "RGB")
            w.us(0x0028, 0x0006, planarConfiguration)
            w.us(0x0028, 0x0010, source.height)
            w.us(0x0028, 0x0011, source.width)
            w.us(0x0028, 0x0100, 8)
            w.us(0x0028, 0x0101, 8)
            w.us(0x0028, 0x0102, 7)
            w.us(0x0028, 0x0103, 0)
            w.add(0x7FE0, 0x0010, "OB", stored)
            let decoded = try DICOMImage.decode(w.file(), source: name)
            #expect(decoded.image == source, "\(name), planar configuration \(planarConfiguration)")
        }
    }

    /// The public metadata never carries patient-identifying values, even when the file has them.
    @Test func metadataNeverContainsPatientIdentifiers() throws {
        let w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 8, window: ("2", "4"))
        let decoded = try DICOMImage.decode(w.file())
        let text = String(describing: decoded.info) + String(reflecting: decoded.info)
        #expect(!text.contains("Doe") && !text.contains("PATIENT-12345"))
        #expect(decoded.info.modality == "DX")
    }
}
