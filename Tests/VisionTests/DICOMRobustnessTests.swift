import DICOMTestWriter
import FathomTestSupport
import Testing
import Vision

/// Damaged and hostile DICOM: every outcome is an image or a typed `ImageCodecError` naming
/// the problem, never a crash, a hang or an allocation beyond the decoding limits.
@Suite("DICOM robustness")
struct DICOMRobustnessTests {
    typealias Support = DICOMTestSupport

    static let limits = DecodingLimits(maxPixels: 1_000_000, maxDimension: 4096, maxNestingDepth: 64)

    /// Decodes `bytes`, returning the image or nil when it threw; a crash would end the run.
    static func attempt(_ bytes: [UInt8]) -> Image? {
        do {
            let image = try Image.decode(bytes, limits: limits)
            #expect(image.pixelCount <= limits.maxPixels)
            return image
        } catch {
            #expect(!error.description.isEmpty)
            return nil
        }
    }

    /// The error decoding `bytes` throws, or nil when it decodes.
    static func failure(_ bytes: [UInt8], limits: DecodingLimits = limits) -> ImageCodecError? {
        do {
            _ = try DICOMImage.decode(bytes, limits: limits, source: "test.dcm")
            return nil
        } catch {
            return error
        }
    }

    /// Whether `error` is `.corrupt` for DICOM with a message containing `fragment`.
    static func isCorrupt(_ error: ImageCodecError?, _ fragment: String) -> Bool {
        guard case .corrupt(.dicom, "test.dcm"?, let message) = error else { return false }
        return message.contains(fragment)
    }

    /// A prefix decodes only when the cut removes nothing the image needs — MR_small ends with
    /// 138 bytes of Data Set Trailing Padding (FFFC,FFFC), image_dfl.dcm with bytes after the
    /// end of its deflate stream — and then it is the whole file's image; every other prefix
    /// throws.
    @Test("Every truncation of a DICOM file throws", arguments: [
        "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm", "image_dfl.dcm",
        "SC_rgb_jpeg_dcmtk.dcm",
    ])
    func everyTruncationThrows(name: String) throws {
        let bytes = try Support.fixture(name)
        let whole = try #require(Self.attempt(bytes))
        var decoded: [Int] = []
        for length in 0..<bytes.count {
            guard let image = Self.attempt(Array(bytes.prefix(length))) else { continue }
            decoded.append(length)
            #expect(image == whole, "\(name): prefix of \(length) of \(bytes.count) bytes decoded to another image")
        }
        // At most the cuts inside trailing padding or after the deflate stream (at most 8 here).
        #expect(decoded.allSatisfy { $0 >= bytes.count - 138 } && decoded.count <= 8, "\(name): prefixes \(decoded) decoded")
    }

    @Test("Random byte corruption never crashes", arguments: ["MR_small.dcm", "MR_small_implicit.dcm", "MR_small_RLE.dcm",
                                                              "image_dfl.dcm", "SC_rgb_jpeg_dcmtk.dcm", "ExplVR_BigEnd.dcm"])
    func randomCorruptionNeverCrashes(name: String) throws {
        let bytes = try Support.fixture(name)
        var generator = SplitMix64(seed: 18)
        var decoded = 0, failed = 0
        for _ in 0..<600 {
            var copy = bytes
            // 1–4 random bytes, half of the time among the first 400 (header and elements).
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let range = Bool.random(using: &generator) ? 0..<min(400, copy.count) : 0..<copy.count
                copy[Int.random(in: range, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Self.attempt(copy) == nil { failed += 1 } else { decoded += 1 }
        }
        // Both outcomes occur: flips in pixel values decode, flips in lengths and tags fail.
        #expect(decoded > 0 && failed > 0, "\(name): \(decoded) decoded, \(failed) failed")
    }

    @Test func hugeDeclaredImageIsTooLargeBeforeAllocation() {
        var w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 16)
        w.elements.removeAll { $0.element == 0x0010 && $0.group == 0x0028 || $0.element == 0x0011 && $0.group == 0x0028 }
        w.us(0x0028, 0x0010, 65535)
        w.us(0x0028, 0x0011, 65535)
        guard case .tooLarge(65535, 65535, _, "test.dcm"?) = Self.failure(w.file(), limits: .default) else {
            Issue.record("expected tooLarge, got \(String(describing: Self.failure(w.file(), limits: .default)))")
            return
        }
    }

    @Test func pixelDataShorterThanTheImageIsCorrupt() {
        var w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 16)
        w.elements.removeAll { $0.group == 0x0028 && $0.element == 0x0010 }
        w.us(0x0028, 0x0010, 200)
        #expect(Self.isCorrupt(Self.failure(w.file()), "PixelData holds 8 bytes"))
    }

    @Test func lengthBeyondTheFileIsCorrupt() {
        var w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 8)
        var file = w.file()
        // The pixel data's 4-byte length is the last field before its 4 value bytes.
        file.replaceSubrange((file.count - 8)..<(file.count - 4), with: [0xF0, 0xFF, 0xFF, 0x7F])
        #expect(Self.isCorrupt(Self.failure(file), "(7FE0,0010)"))
        #expect(Self.isCorrupt(Self.failure(file), "declares 2147483632 bytes"))
        w.syntax = .implicitLittle
        file = w.file()
        file.replaceSubrange((file.count - 8)..<(file.count - 4), with: [0xFE, 0xFF, 0xFF, 0xFF])
        #expect(Self.isCorrupt(Self.failure(file), "declares"))
    }

    /// 100 000 nested sequences of undefined length in implicit VR (about 1.6 MB): the depth
    /// limit stops the parser, which would otherwise recurse 100 000 deep.
    @Test func nestingBombIsCorrupt() {
        var w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 8, syntax: .implicitLittle)
        let depth = 100_000
        let open: [UInt8] = w.u16(0x0009) + w.u16(0x1010) + w.u32(0xFFFF_FFFF) + w.u16(0xFFFE) + w.u16(0xE000) + w.u32(0xFFFF_FFFF)
        let close: [UInt8] = w.u16(0xFFFE) + w.u16(0xE00D) + w.u32(0) + w.u16(0xFFFE) + w.u16(0xE0DD) + w.u32(0)
        var bomb: [UInt8] = []
        bomb.reserveCapacity(depth * 32)
        for _ in 0..<depth { bomb += open }
        for _ in 0..<depth { bomb += close }
        // The private tag (0009,1010) sorts before the pixel module; its value is the bomb
        // without its own header.
        w.elements.append(.init(group: 0x0009, element: 0x1010, vr: "UN", value: Array(bomb.dropFirst(8)), undefinedLength: true))
        #expect(Self.isCorrupt(Self.failure(w.file()), "nested more than 64 levels"))
    }

    /// Sequences nested within the limit, of defined and undefined length, in implicit VR,
    /// are skipped and the image decodes.
    @Test func nestedSequencesWithinTheLimitAreSkipped() throws {
        var w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 85, 170, 255], bits: 8, syntax: .implicitLittle)
        var value: [UInt8] = []
        for _ in 0..<10 { value = w.u16(0xFFFE) + w.u16(0xE000) + w.u32(0xFFFF_FFFF) + w.u16(0x0009) + w.u16(0x1010) + w.u32(0xFFFF_FFFF) + value }
        var tail: [UInt8] = []
        for _ in 0..<10 { tail += w.u16(0xFFFE) + w.u16(0xE0DD) + w.u32(0) + w.u16(0xFFFE) + w.u16(0xE00D) + w.u32(0) }
        // One item of defined length holding an empty element, then the nested ones.
        let defined: [UInt8] = w.u16(0xFFFE) + w.u16(0xE000) + w.u32(8) + w.u16(0x0008) + w.u16(0x0016) + w.u32(0)
        let sequence = defined + value + tail + w.u16(0xFFFE) + w.u16(0xE0DD) + w.u32(0)
        w.elements.append(.init(group: 0x0009, element: 0x1010, vr: "SQ", value: sequence, undefinedLength: true))
        let decoded = try DICOMImage.decode(w.file())
        #expect(Support.pixels(decoded.image) == [0, 85, 170, 255])
    }

    @Test func deflateBombStopsAtTheLimit() throws {
        let error = Self.failure(try Support.fixture("deflate_bomb.dcm"), limits: DecodingLimits(maxPixels: 1000))
        #expect(Self.isCorrupt(error, "inflates to more than"))
    }

    @Test func missingOrInvalidElementsAreNamed() {
        func without(_ element: UInt16) -> [UInt8] {
            var w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 8)
            w.elements.removeAll { $0.group == 0x0028 && $0.element == element }
            return w.file()
        }
        #expect(Self.isCorrupt(Self.failure(without(0x0010)), "Rows (0028,0010) is missing"))
        #expect(Self.isCorrupt(Self.failure(without(0x0100)), "BitsAllocated (0028,0100) is missing"))
        #expect(Self.isCorrupt(Self.failure(without(0x0004)), "PhotometricInterpretation"))

        var w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 8)
        w.elements.removeAll { $0.group == 0x0028 && $0.element == 0x0011 }
        w.add(0x0028, 0x0011, "US", [])  // zero-length Columns
        #expect(Self.isCorrupt(Self.failure(w.file()), "Columns (0028,0011) is missing or empty"))

        w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 8, window: ("abc", "10"))
        #expect(Self.isCorrupt(Self.failure(w.file()), "WindowCenter (0028,1050) is 'abc'"))

        w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 8)
        w.elements.removeAll { $0.group == 0x7FE0 }
        #expect(Self.isCorrupt(Self.failure(w.file()), "no PixelData"))

        w = DICOMTestWriter.grayscale(width: 2, height: 2, stored: [0, 1, 2, 3], bits: 16)
        w.elements.removeAll { $0.group == 0x0028 && $0.element == 0x0100 }
        w.us(0x0028, 0x0100, 12)
        guard case .unsupported(.dicom, _, let message) = Self.failure(w.file()), message.contains("BitsAllocated 12") else {
            Issue.record("BitsAllocated 12: \(String(describing: Self.failure(w.file())))")
            return
        }
    }

    @Test func oddLengthPixelDataAndZeroWindowWidthStillDecode() throws {
        // 3 × 1 8-bit pixels: the writer pads the value to 4 bytes; a width of 0 is ignored
        // (min–max instead).
        let w = DICOMTestWriter.grayscale(width: 3, height: 1, stored: [10, 20, 30], bits: 8, window: ("20", "0"))
        let decoded = try DICOMImage.decode(w.file())
        #expect(Support.pixels(decoded.image) == [0, 128, 255])
        #expect(decoded.info.displayMapping == .minMax(minimum: 10, maximum: 30))
    }
}
