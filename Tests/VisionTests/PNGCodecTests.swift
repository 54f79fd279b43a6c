import FathomTestSupport
import Testing
import Vision

extension CodecTestSupport {
    /// A deliberately simple PNG writer, independent of libpng, for the formats Fathom decodes
    /// but does not encode: palettes, 1/2/4-bit gray, tRNS transparency, Adam7 interlacing.
    struct PNGWriter {
        var width: Int
        var height: Int
        var bitDepth: Int
        /// PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
        var colorType: UInt8
        var interlaced = false
        var palette: [[UInt8]] = []
        /// Raw tRNS chunk contents, if any.
        var transparency: [UInt8]?
        /// Raw sample values, interleaved, `width * height * samplesPerPixel` of them.
        var samples: [Int]

        var samplesPerPixel: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colorType)]! }

        /// The Adam7 passes: start x, start y, step x, step y.
        static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

        func encoded() -> [UInt8] {
            var ihdr = CodecTestSupport.bigEndian(UInt32(width)) + CodecTestSupport.bigEndian(UInt32(height))
            ihdr += [UInt8(bitDepth), colorType, 0, 0, interlaced ? 1 : 0]
            var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            file += CodecTestSupport.pngChunk("IHDR", ihdr)
            if !palette.isEmpty { file += CodecTestSupport.pngChunk("PLTE", palette.flatMap { $0 }) }
            if let transparency { file += CodecTestSupport.pngChunk("tRNS", transparency) }
            file += CodecTestSupport.pngChunk("IDAT", CodecTestSupport.zlibStored(scanlines()))
            file += CodecTestSupport.pngChunk("IEND", [])
            return file
        }

        /// Filter byte 0 plus packed samples for each row of each pass.
        private func scanlines() -> [UInt8] {
            let passes = interlaced ? Self.adam7 : [(0, 0, 1, 1)]
            var out = [UInt8]()
            for (x0, y0, dx, dy) in passes {
                let xs = Array(stride(from: x0, to: width, by: dx)), ys = Array(stride(from: y0, to: height, by: dy))
                if xs.isEmpty || ys.isEmpty { continue }
                for y in ys {
                    out.append(0)
                    var row = [Int]()
                    for x in xs { for s in 0..<samplesPerPixel { row.append(samples[(y * width + x) * samplesPerPixel + s]) } }
                    out += pack(row)
                }
            }
            return out
        }

        private func pack(_ values: [Int]) -> [UInt8] {
            switch bitDepth {
            case 16: return values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            case 8: return values.map { UInt8($0) }
            default:
                let perByte = 8 / bitDepth
                var bytes = [UInt8](repeating: 0, count: (values.count + perByte - 1) / perByte)
                for (i, value) in values.enumerated() {
                    let shift = 8 - bitDepth * (i % perByte + 1)
                    bytes[i / perByte] |= UInt8(value << shift)
                }
                return bytes
            }
        }
    }
}

@Suite("PNG codec")
struct PNGCodecTests {
    static let encodable: [(Image.ColorModel, Int)] = Image.ColorModel.allCases.flatMap { [($0, 8), ($0, 16)] }

    @Test("Round trips are exact", arguments: encodable)
    func roundTripIsExact(colorModel: Image.ColorModel, bitDepth: Int) throws {
        for (index, (width, height)) in [(1, 1), (37, 23), (256, 3)].enumerated() {
            let image = CodecTestSupport.randomImage(width: width, height: height, colorModel: colorModel,
                                                     bitDepth: bitDepth, seed: UInt64(index * 100 + bitDepth))
            let png = try image.pngData()
            #expect(ImageFormat.detect(png) == .png)
            #expect(try Image.decode(png) == image)
            #expect(try Image.decode(image.pngData(compressionLevel: 0)) == image)
        }
    }

    @Test func changesBitDepthOnRequest() throws {
        let image = CodecTestSupport.randomImage(width: 10, height: 10, colorModel: .rgb, bitDepth: 8, seed: 3)
        let wide = try Image.decode(image.pngData(bitDepth: 16))
        #expect(wide.bitDepth == 16)
        #expect(wide == image.converted(toBitDepth: 16))
        #expect(wide.converted(toBitDepth: 8) == image)
        let narrow = try Image.decode(wide.pngData(bitDepth: 8))
        #expect(narrow == image)
        #expect(throws: ImageCodecError.invalidArgument("PNG bit depth must be 8 or 16, got 12")) { try image.pngData(bitDepth: 12) }
        #expect(throws: ImageCodecError.self) { try image.pngData(compressionLevel: 10) }
    }

    /// Sizes that leave some Adam7 passes empty (smaller than 8) or partial (odd sizes).
    static let sizes = [(1, 1), (3, 2), (13, 11), (33, 9)]

    @Test("Low bit depth gray expands to 8 bits", arguments: [1, 2, 4], [false, true])
    func lowBitDepthGray(bitDepth: Int, interlaced: Bool) throws {
        for (width, height) in Self.sizes {
            var generator = SplitMix64(seed: UInt64(bitDepth * 7 + width))
            let maximum = (1 << bitDepth) - 1
            let raw = (0..<(width * height)).map { _ in Int.random(in: 0...maximum, using: &generator) }
            let png = CodecTestSupport.PNGWriter(width: width, height: height, bitDepth: bitDepth, colorType: 0,
                                    interlaced: interlaced, samples: raw).encoded()
            let image = try Image.decode(png)
            // libpng scales to the full 8-bit range: 1-bit white is 255, 2-bit 3 is 255.
            let expected = Image(width: width, height: height, colorModel: .gray,
                                 pixels: raw.map { UInt8($0 * 255 / maximum) })
            #expect(image == expected, "\(bitDepth)-bit \(width)×\(height) interlaced: \(interlaced)")
        }
    }

    @Test("Palettes expand to RGB or RGBA", arguments: [1, 2, 4, 8], [false, true])
    func palette(bitDepth: Int, interlaced: Bool) throws {
        var generator = SplitMix64(seed: UInt64(bitDepth + (interlaced ? 50 : 0)))
        let entries = 1 << bitDepth
        let palette = (0..<entries).map { _ in (0..<3).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        // Fewer alpha values than entries: the rest are opaque.
        let alphas = (0..<(entries / 2 + 1)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for (width, height) in Self.sizes {
            let indices = (0..<(width * height)).map { _ in Int.random(in: 0..<entries, using: &generator) }
            var writer = CodecTestSupport.PNGWriter(width: width, height: height, bitDepth: bitDepth, colorType: 3,
                                       interlaced: interlaced, palette: palette, samples: indices)
            let opaque = try Image.decode(writer.encoded())
            #expect(opaque == Image(width: width, height: height, colorModel: .rgb, pixels: indices.flatMap { palette[$0] }))

            writer.transparency = alphas
            let translucent = try Image.decode(writer.encoded())
            let expected = indices.flatMap { palette[$0] + [$0 < alphas.count ? alphas[$0] : 255] }
            #expect(translucent == Image(width: width, height: height, colorModel: .rgba, pixels: expected))
        }
    }

    @Test("Interlaced images of every colour type", arguments: [(UInt8(0), 8), (0, 16), (2, 8), (2, 16), (4, 8), (4, 16), (6, 8), (6, 16)])
    func interlaced(colorType: UInt8, bitDepth: Int) throws {
        let model: Image.ColorModel = [0: .gray, 2: .rgb, 4: .grayAlpha, 6: .rgba][colorType]!
        for (width, height) in Self.sizes {
            let image = CodecTestSupport.randomImage(width: width, height: height, colorModel: model, bitDepth: bitDepth, seed: 9)
            let raw: [Int] = switch image.samples {
            case .uint8(let values): values.map(Int.init)
            case .uint16(let values): values.map(Int.init)
            }
            let png = CodecTestSupport.PNGWriter(width: width, height: height, bitDepth: bitDepth, colorType: colorType,
                                    interlaced: true, samples: raw).encoded()
            #expect(try Image.decode(png) == image, "\(model) \(bitDepth)-bit \(width)×\(height)")
        }
    }

    @Test func transparentColourBecomesAlpha() throws {
        // 2-bit gray with value 1 transparent.
        let gray = [0, 1, 2, 3, 1, 0]
        let grayPNG = CodecTestSupport.PNGWriter(width: 3, height: 2, bitDepth: 2, colorType: 0, transparency: [0, 1], samples: gray).encoded()
        #expect(try Image.decode(grayPNG) == Image(width: 3, height: 2, colorModel: .grayAlpha,
                                                   pixels: gray.flatMap { [UInt8($0 * 85), $0 == 1 ? 0 : 255] }))
        // 16-bit RGB with (1000, 2000, 3000) transparent.
        let rgb = [1000, 2000, 3000, 1000, 2000, 3001]
        let rgbPNG = CodecTestSupport.PNGWriter(width: 2, height: 1, bitDepth: 16, colorType: 2,
                                   transparency: [0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8], samples: rgb).encoded()
        #expect(try Image.decode(rgbPNG) == Image(width: 2, height: 1, colorModel: .rgba,
                                                  pixels: [1000, 2000, 3000, 0, 1000, 2000, 3001, 65535] as [UInt16]))
    }

    @Test func widthBeyondLibpngDefaultCapDecodesWhenLimitsAllow() throws {
        // libpng refuses widths over 1,000,000 unless told otherwise; Fathom's limits decide.
        let width = 1_100_000
        let raw = (0..<width).map { $0 % 2 }
        let png = CodecTestSupport.PNGWriter(width: width, height: 1, bitDepth: 1, colorType: 0, samples: raw).encoded()
        #expect(throws: ImageCodecError.tooLarge(width: width, height: 1, limits: .default, source: nil)) { try Image.decode(png) }
        let image = try Image.decode(png, limits: DecodingLimits(maxDimension: 2_000_000))
        #expect(image.width == width && image[x: 1, y: 0, channel: 0] == 255 && image[x: 2, y: 0, channel: 0] == 0)
    }
}
