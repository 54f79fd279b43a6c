import FathomTestSupport
import Foundation
import Testing
import Vision

// Shared helpers of the codec tests (this file's name must match Codec*Tests.swift), all
// inside one namespace so that they cannot clash with other Vision test files.
enum CodecTestSupport {
    /// An image of deterministic pseudo-random samples.
    static func randomImage(width: Int, height: Int, colorModel: Image.ColorModel, bitDepth: Int, seed: UInt64) -> Image {
        var generator = SplitMix64(seed: seed)
        let count = width * height * colorModel.channelCount
        if bitDepth == 8 {
            let pixels = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return Image(width: width, height: height, colorModel: colorModel, pixels: pixels)
        }
        let pixels = (0..<count).map { _ in UInt16.random(in: 0...65535, using: &generator) }
        return Image(width: width, height: height, colorModel: colorModel, pixels: pixels)
    }

    /// A smooth 8-bit image (low-frequency waves), the kind of content JPEG is made for.
    static func smoothImage(width: Int, height: Int, colorModel: Image.ColorModel) -> Image {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * colorModel.channelCount)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<colorModel.channelCount {
                    let phase = Double(c) * 1.7
                    let value = 128 + 90 * sin(Double(x) / 9 + phase) * cos(Double(y) / 7 - phase)
                    pixels.append(UInt8(value.rounded()))
                }
            }
        }
        return Image(width: width, height: height, colorModel: colorModel, pixels: pixels)
    }

    /// Peak signal-to-noise ratio in dB between two 8-bit images of the same shape.
    static func psnr(_ a: Image, _ b: Image) -> Double {
        guard case .uint8(let x) = a.samples, case .uint8(let y) = b.samples, x.count == y.count else { return -1 }
        var squared = 0.0
        for i in 0..<x.count {
            let d = Double(x[i]) - Double(y[i])
            squared += d * d
        }
        let mse = squared / Double(x.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// CRC-32 as PNG chunks use it (ISO 3309, polynomial 0xEDB88320).
    static func crc32<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// One PNG chunk: length, type, data, CRC.
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc32(typeAndData))
    }

    /// Recomputes every chunk CRC of a PNG, so that corruption reaches the decoder's deeper
    /// checks (zlib, filters, IHDR values) instead of stopping at the CRC.
    static func fixingPNGCRCs(_ png: [UInt8]) -> [UInt8] {
        var bytes = png
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let end = offset + 8 + length
            guard length >= 0, end + 4 <= bytes.count else { break }
            let crc = bigEndian(crc32(bytes[(offset + 4)..<end]))
            bytes.replaceSubrange(end..<(end + 4), with: crc)
            offset = end + 4
        }
        return bytes
    }

    /// A zlib stream of stored (uncompressed) deflate blocks: lets tests write PNGs without
    /// a compression library.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isFinal = offset + length == data.count
            out.append(isFinal ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[offset..<(offset + length)]
            offset += length
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }
}

@Suite("Format detection and errors")
struct CodecTests {
    @Test func detectsFormatsFromSignaturesOnly() {
        #expect(ImageFormat.detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(ImageFormat.detect([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.detect([0xFF, 0xD8]) == nil)
        #expect(ImageFormat.detect([UInt8]()) == nil)
        #expect(ImageFormat.detect(Array("GIF89a".utf8)) == nil)
        #expect(ImageFormat.detect(Data([0xFF, 0xD8, 0xFF, 0xDB])) == .jpeg)
        #expect(ImageFormat(fileExtension: "JPG") == .jpeg)
        #expect(ImageFormat(fileExtension: "png") == .png)
        #expect(ImageFormat(fileExtension: "gif") == nil)
    }

    @Test func unrecognizedDataSaysWhatItLooksLike() {
        #expect(throws: ImageCodecError.self) { try Image.decode(Array("GIF89a....".utf8), source: "cat.gif") }
        do {
            _ = try Image.decode(Array("GIF89a....".utf8), source: "cat.gif")
        } catch {
            guard case .unrecognizedFormat(let source, let detail) = error else { Issue.record("wrong error \(error)"); return }
            #expect(source == "cat.gif")
            #expect(detail.contains("GIF"))
            #expect(error.description.contains("cat.gif"))
        }
        do {
            _ = try Image.decode([0x01, 0x02, 0xAB])
        } catch {
            #expect(error.description.contains("01 02 AB"), "\(error)")
        }
        do {
            _ = try Image.decode([UInt8]())
        } catch {
            #expect(error.description.contains("empty"), "\(error)")
        }
    }

    @Test func corruptFileErrorNamesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try CodecTestSupport.randomImage(width: 8, height: 8, colorModel: .rgb, bitDepth: 8, seed: 1).pngData()
        for (name, bytes) in [("broken.png", Array(good.prefix(good.count / 2))),
                              ("broken.jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46])] {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Image(contentsOfFile: path)
                Issue.record("\(name) decoded")
            } catch {
                guard case .corrupt(_, let source, _) = error else { Issue.record("wrong error \(error)"); continue }
                #expect(source == path)
                #expect(error.description.contains(path), "\(error)")
            }
        }
        // Missing files and directories are reported as such, with the path.
        let missing = directory.appendingPathComponent("missing.png").path
        #expect(throws: ImageCodecError.fileUnreadable(path: missing, reason: "No such file or directory")) {
            try Image(contentsOfFile: missing)
        }
        #expect(throws: ImageCodecError.fileUnreadable(path: directory.path, reason: "is a directory")) {
            try Image(contentsOfFile: directory.path)
        }
        // Bytes decoded from memory name the source they were given.
        do {
            _ = try Image.decode(Array(good.prefix(40)), source: "upload #7")
        } catch {
            #expect(error.description.contains("upload #7"), "\(error)")
        }
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = CodecTestSupport.randomImage(width: 19, height: 7, colorModel: .rgba, bitDepth: 16, seed: 2)
        let png = directory.appendingPathComponent("out.png")
        try image.write(to: png)
        try image.write(to: png)  // replaces the existing file
        #expect(try Image(contentsOf: png) == image)

        let gray = CodecTestSupport.smoothImage(width: 32, height: 16, colorModel: .gray)
        let jpeg = directory.appendingPathComponent("out.JPG").path
        try gray.write(toFile: jpeg, jpegQuality: 95)
        let decoded = try Image(contentsOfFile: jpeg)
        #expect(decoded.colorModel == .gray && decoded.width == 32 && decoded.height == 16)
        #expect(CodecTestSupport.psnr(decoded, gray) > 35)

        // Only the two images remain: no temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["out.JPG", "out.png"])
        #expect(throws: ImageCodecError.self) { try image.write(toFile: directory.appendingPathComponent("out.gif").path) }
        #expect(throws: ImageCodecError.self) { try image.write(toFile: directory.path + "/no/such/dir/x.png") }
    }
}
