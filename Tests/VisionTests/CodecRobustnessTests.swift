import FathomTestSupport
import Testing
import Vision

/// Damaged and hostile input: every outcome must be an image or a thrown `ImageCodecError`,
/// never a crash, a hang or a huge allocation.
@Suite("Codec robustness")
struct CodecRobustnessTests {
    static func smallPNG() throws -> [UInt8] {
        try CodecTestSupport.randomImage(width: 16, height: 12, colorModel: .rgb, bitDepth: 8, seed: 11).pngData()
    }

    static func smallJPEG(progressive: Bool = false) throws -> [UInt8] {
        try CodecTestSupport.smoothImage(width: 24, height: 16, colorModel: .rgb).jpegData(quality: 75, progressive: progressive)
    }

    /// Decodes `bytes`, returning the image or nil when it threw; a crash would end the test run.
    static func attempt(_ bytes: [UInt8]) -> Image? {
        do {
            let image = try Image.decode(bytes, limits: DecodingLimits(maxPixels: 1_000_000, maxDimension: 4096))
            #expect(image.pixelCount <= 1_000_000)
            return image
        } catch {
            #expect(!error.description.isEmpty)
            return nil
        }
    }

    @Test func everyTruncationOfAPNGThrowsOrDecodes() throws {
        let png = try Self.smallPNG()
        #expect(Self.attempt(png) != nil)
        for length in 0..<png.count {
            let decoded = Self.attempt(Array(png.prefix(length)))
            // Only the 12-byte IEND chunk, which holds no pixels, may be missing.
            if length < png.count - 12 { #expect(decoded == nil, "prefix of \(length) of \(png.count) bytes decoded") }
        }
    }

    @Test("Every truncation of a JPEG throws", arguments: [false, true])
    func everyTruncationOfAJPEGThrows(progressive: Bool) throws {
        let jpeg = try Self.smallJPEG(progressive: progressive)
        #expect(Self.attempt(jpeg) != nil)
        for length in 0..<jpeg.count {
            // Decoding is strict, so even a missing end-of-image marker is an error.
            #expect(Self.attempt(Array(jpeg.prefix(length))) == nil, "prefix of \(length) of \(jpeg.count) bytes decoded")
        }
    }

    /// Overwrites 1–4 random bytes (the signature included) with random values.
    static func corrupted(_ bytes: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var copy = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            copy[Int.random(in: 0..<copy.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        }
        return copy
    }

    @Test func randomByteCorruptionOfAPNGNeverCrashes() throws {
        let png = try Self.smallPNG()
        var generator = SplitMix64(seed: 2024)
        var decodedWithCRCFix = 0
        for _ in 0..<400 {
            let damaged = Self.corrupted(png, using: &generator)
            _ = Self.attempt(damaged)
            // With valid CRCs the damage reaches zlib, the filters and the IHDR checks.
            if Self.attempt(CodecTestSupport.fixingPNGCRCs(damaged)) != nil { decodedWithCRCFix += 1 }
        }
        #expect(decodedWithCRCFix < 400)
    }

    @Test("Random byte corruption of a JPEG never crashes", arguments: [false, true])
    func randomByteCorruptionOfAJPEGNeverCrashes(progressive: Bool) throws {
        let jpeg = try Self.smallJPEG(progressive: progressive)
        var generator = SplitMix64(seed: progressive ? 7 : 8)
        var decoded = 0
        for _ in 0..<400 where Self.attempt(Self.corrupted(jpeg, using: &generator)) != nil { decoded += 1 }
        #expect(decoded < 400)
    }

    @Test func absurdPNGDimensionsAreRefusedBeforeAllocating() throws {
        // A valid 100000×100000 IHDR followed by a tiny IDAT: 10^10 pixels declared in 70 bytes.
        var ihdr = CodecTestSupport.bigEndian(100_000) + CodecTestSupport.bigEndian(100_000)
        ihdr += [8, 6, 0, 0, 0]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + CodecTestSupport.pngChunk("IHDR", ihdr)
            + CodecTestSupport.pngChunk("IDAT", CodecTestSupport.zlibStored([0, 0, 0, 0, 0]))
            + CodecTestSupport.pngChunk("IEND", [])
        #expect(throws: ImageCodecError.tooLarge(width: 100_000, height: 100_000, limits: .default, source: "bomb.png")) {
            try Image.decode(png, source: "bomb.png")
        }
        // The limit is configurable both ways.
        let limits = DecodingLimits(maxPixels: 100)
        let small = try CodecTestSupport.randomImage(width: 11, height: 10, colorModel: .gray, bitDepth: 8, seed: 1).pngData()
        #expect(throws: ImageCodecError.tooLarge(width: 11, height: 10, limits: limits, source: nil)) {
            try Image.decode(small, limits: limits)
        }
        #expect(try Image.decode(small, limits: DecodingLimits(maxPixels: 110, maxDimension: 11)).pixelCount == 110)
    }

    @Test func absurdJPEGDimensionsAreRefusedBeforeAllocating() throws {
        // A real JPEG whose SOF0 is patched to declare 65000×65000.
        var jpeg = try CodecTestSupport.smoothImage(width: 16, height: 16, colorModel: .gray).jpegData()
        let sof = try #require((2..<(jpeg.count - 8)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        // FF C0, length (2), precision (1), height (2), width (2).
        jpeg.replaceSubrange((sof + 5)..<(sof + 9), with: [0xFD, 0xE8, 0xFD, 0xE8])
        #expect(throws: ImageCodecError.tooLarge(width: 65_000, height: 65_000, limits: .default, source: "bomb.jpeg")) {
            try Image.decode(jpeg, source: "bomb.jpeg")
        }
    }

    @Test func decodingIsSafeFromManyThreadsAtOnce() async throws {
        let png = try Self.smallPNG(), jpeg = try Self.smallJPEG()
        let expectedPNG = try Image.decode(png), expectedJPEG = try Image.decode(jpeg)
        let allMatch = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<50 {
                        guard (try? Image.decode(png)) == expectedPNG, (try? Image.decode(jpeg)) == expectedJPEG,
                              (try? Image.decode(Array(jpeg.prefix(100 + task)))) == nil else { return false }
                    }
                    return true
                }
            }
            return await group.allSatisfy { $0 }
        }
        #expect(allMatch)
    }
}
