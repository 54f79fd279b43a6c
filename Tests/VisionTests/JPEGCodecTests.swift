import Foundation
import Testing
import Vision

@Suite("JPEG codec")
struct JPEGCodecTests {
    @Test("Smooth images survive quality 90 above 30 dB", arguments: [Image.ColorModel.gray, .rgb])
    func qualityNinetyKeepsDetail(colorModel: Image.ColorModel) throws {
        let image = CodecTestSupport.smoothImage(width: 97, height: 61, colorModel: colorModel)
        let jpeg = try image.jpegData(quality: 90)
        #expect(ImageFormat.detect(jpeg) == .jpeg)
        let decoded = try Image.decode(jpeg)
        #expect(decoded.width == 97 && decoded.height == 61 && decoded.colorModel == colorModel && decoded.bitDepth == 8)
        let psnr = CodecTestSupport.psnr(decoded, image)
        #expect(psnr >= 30, "PSNR \(psnr) dB")
        // Lower quality gives smaller files and lower fidelity; 4:4:4 at least matches 4:2:0.
        let small = try image.jpegData(quality: 20)
        #expect(small.count < jpeg.count)
        #expect(CodecTestSupport.psnr(try Image.decode(small), image) < psnr)
        if colorModel == .rgb {
            let full = try Image.decode(image.jpegData(quality: 90, chromaSubsampling: .s444))
            #expect(CodecTestSupport.psnr(full, image) >= psnr)
        }
    }

    @Test("Progressive JPEG decodes to the same pixels as baseline", arguments: [Image.ColorModel.gray, .rgb])
    func progressive(colorModel: Image.ColorModel) throws {
        let image = CodecTestSupport.smoothImage(width: 64, height: 40, colorModel: colorModel)
        let baseline = try image.jpegData(quality: 85)
        let progressive = try image.jpegData(quality: 85, progressive: true)
        // SOF2 (FF C2) marks progressive coding, SOF0 (FF C0) baseline.
        #expect(Self.containsMarker(0xC2, in: progressive) && !Self.containsMarker(0xC0, in: progressive))
        #expect(Self.containsMarker(0xC0, in: baseline))
        // Progressive coding reorders the same quantized coefficients, so the pixels match exactly.
        #expect(try Image.decode(progressive) == Image.decode(baseline))
    }

    @Test func sixteenBitImagesAreRoundedAndAlphaIsRefused() throws {
        let image = CodecTestSupport.smoothImage(width: 16, height: 16, colorModel: .rgb)
        let wide = image.converted(toBitDepth: 16)
        #expect(try wide.jpegData() == image.jpegData())
        let rgba = image.converted(to: .rgba)
        #expect {
            try rgba.jpegData()
        } throws: { error in
            guard case ImageCodecError.cannotEncode(.jpeg, let message) = error else { return false }
            return message.contains("alpha")
        }
        #expect(throws: ImageCodecError.invalidArgument("JPEG quality must be in 1...100, got 0")) { try image.jpegData(quality: 0) }
        #expect(throws: ImageCodecError.self) { try image.jpegData(quality: 101) }
        #expect(try Image.decode(image.jpegData(quality: 1)).width == 16)
        #expect(try Image.decode(image.jpegData(quality: 100)).width == 16)
    }

    /// A 16×8 YCCK JPEG made once with TurboJPEG from CMYK pixels (stored inverted, Adobe
    /// style): the left 8×8 block (255, 128, 0, 200), the right one (50, 255, 255, 255).
    static let cmykJPEG = Data(base64Encoded: "/9j/7gAOQWRvYmUAZAAAAAAC/9sAQwABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB/9sAQwEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB/8AAFAgACAAQBAERAAIRAQMRAQQRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1LwFWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAA4EAQACEQMRBAAAPwD4/r/qoP8AmvP6QK/Kev8Ag/P/AFgD9uK//9k=")!

    @Test func cmykIsConvertedToRGB() throws {
        let image = try Image.decode(Self.cmykJPEG)
        #expect(image.colorModel == .rgb && image.width == 16 && image.height == 8)
        // R = C·K/255 on the stored values: (200, 100, 0) and (50, 255, 255).
        for (x, expected) in [(3, [200, 100, 0]), (12, [50, 255, 255])] {
            for c in 0..<3 {
                #expect(abs(image[x: x, y: 4, channel: c] - expected[c]) <= 2, "pixel x \(x) channel \(c)")
            }
        }
    }

    /// Whether the marker FF `code` occurs in the header part of a JPEG.
    static func containsMarker(_ code: UInt8, in jpeg: [UInt8]) -> Bool {
        var i = 2
        while i + 3 < jpeg.count, jpeg[i] == 0xFF {
            if jpeg[i + 1] == code { return true }
            if jpeg[i + 1] == 0xDA { return false }  // start of scan: headers are over
            i += 2 + (Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3]))
        }
        return false
    }
}
