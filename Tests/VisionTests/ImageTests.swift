import Testing
import Vision

@Suite("Image")
struct ImageTests {
    @Test func storesInterleavedSamples() {
        let image = Image(width: 2, height: 1, colorModel: .rgb, pixels: [1, 2, 3, 4, 5, 6] as [UInt8])
        #expect(image.channels == 3 && image.bitDepth == 8 && image.pixelCount == 2 && image.maxSampleValue == 255)
        #expect(image[x: 1, y: 0, channel: 2] == 6)
        #expect(image.description == "Image(2×1, RGB, 8-bit)")
        let deep = Image(width: 1, height: 1, colorModel: .grayAlpha, pixels: [65535, 7] as [UInt16])
        #expect(deep.bitDepth == 16 && deep.maxSampleValue == 65535 && deep[x: 0, y: 0, channel: 0] == 65535)
    }

    @Test func grayUsesPillowsBT601Luma() {
        // Pillow: Image.new("RGB", (1, 1), c).convert("L") gives 76, 150, 29 for red, green, blue.
        let rgb = Image(width: 4, height: 1, colorModel: .rgb, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 90] as [UInt8])
        let gray = rgb.convertedToGray()
        // (19595·10 + 38470·200 + 7471·90 + 32768) >> 16 = 131 (10·0.299 + 200·0.587 + 90·0.114 = 130.65)
        #expect(gray == Image(width: 4, height: 1, colorModel: .gray, pixels: [76, 150, 29, 131] as [UInt8]))
        // Equal channels keep their value at both depths.
        let levels = (0...255).flatMap { [UInt8($0), UInt8($0), UInt8($0)] }
        let ramp = Image(width: 256, height: 1, colorModel: .rgb, pixels: levels).convertedToGray()
        #expect(ramp == Image(width: 256, height: 1, colorModel: .gray, pixels: (0...255).map { UInt8($0) }))
        let deep = Image(width: 3, height: 1, colorModel: .rgb, pixels: [65535, 65535, 65535, 0, 0, 0, 1234, 1234, 1234] as [UInt16])
        #expect(deep.convertedToGray() == Image(width: 3, height: 1, colorModel: .gray, pixels: [65535, 0, 1234] as [UInt16]))
    }

    @Test func colourModelConversionsHandleAlpha() {
        let rgba = Image(width: 1, height: 1, colorModel: .rgba, pixels: [10, 20, 30, 40] as [UInt8])
        #expect(rgba.droppingAlpha() == Image(width: 1, height: 1, colorModel: .rgb, pixels: [10, 20, 30] as [UInt8]))
        #expect(rgba.convertedToRGB() == rgba.droppingAlpha())
        #expect(rgba.converted(to: .grayAlpha)[x: 0, y: 0, channel: 1] == 40)
        let ga = Image(width: 1, height: 1, colorModel: .grayAlpha, pixels: [7, 9] as [UInt8])
        #expect(ga.convertedToRGB() == Image(width: 1, height: 1, colorModel: .rgb, pixels: [7, 7, 7] as [UInt8]))
        #expect(ga.converted(to: .rgba) == Image(width: 1, height: 1, colorModel: .rgba, pixels: [7, 7, 7, 9] as [UInt8]))
        #expect(ga.droppingAlpha() == Image(width: 1, height: 1, colorModel: .gray, pixels: [7] as [UInt8]))
        let gray = Image(width: 1, height: 1, colorModel: .gray, pixels: [300] as [UInt16])
        #expect(gray.converted(to: .rgba) == Image(width: 1, height: 1, colorModel: .rgba, pixels: [300, 300, 300, 65535] as [UInt16]))
        #expect(gray.droppingAlpha() == gray && gray.converted(to: .gray) == gray)
        for model in Image.ColorModel.allCases {
            let image = CodecTestSupport.randomImage(width: 5, height: 3, colorModel: model, bitDepth: 8, seed: 4)
            // Adding channels and removing them again is lossless.
            #expect(image.converted(to: model.isColor ? .rgba : .grayAlpha).converted(to: model) == image || model.hasAlpha == false)
            #expect(image.convertedToRGB().colorModel == .rgb && image.convertedToGray().colorModel == .gray)
        }
    }

    @Test func bitDepthConversionRoundsAndRoundTrips() {
        let all = Image(width: 256, height: 1, colorModel: .gray, pixels: (0...255).map { UInt8($0) })
        let wide = all.converted(toBitDepth: 16)
        guard case .uint16(let values) = wide.samples else { Issue.record("not 16-bit"); return }
        #expect(values == (0...255).map { UInt16($0) * 257 })
        #expect(wide.converted(toBitDepth: 8) == all)
        // 16 → 8 rounds to nearest: 128 is 0.498 of a step (→ 0), 129 is 0.502 (→ 1).
        let deep = Image(width: 4, height: 1, colorModel: .gray, pixels: [128, 129, 65535, 32767] as [UInt16])
        #expect(deep.converted(toBitDepth: 8) == Image(width: 4, height: 1, colorModel: .gray, pixels: [0, 1, 255, 127] as [UInt8]))
    }

    @Test func decodingLimitsDescribeThemselves() {
        let limits = DecodingLimits(maxPixels: 1000, maxDimension: 50)
        #expect(limits.allows(width: 50, height: 20) && !limits.allows(width: 51, height: 1) && !limits.allows(width: 40, height: 30))
        #expect(!DecodingLimits.default.allows(width: Int.max, height: Int.max))
        let error = ImageCodecError.tooLarge(width: 60, height: 2, limits: limits, source: "x.png")
        #expect(error.description.contains("x.png") && error.description.contains("60×2") && error.description.contains("1000"))
    }
}
