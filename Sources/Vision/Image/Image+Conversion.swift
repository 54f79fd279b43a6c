extension Image {
    /// The image with its pixels converted to another colour model.
    ///
    /// - Colour to gray uses the ITU-R BT.601 luma weights with Pillow's rounding
    ///   (`L = (19595 R + 38470 G + 7471 B + 32768) >> 16`, the fixed-point form of
    ///   `R·299/1000 + G·587/1000 + B·114/1000`), so 8-bit results equal
    ///   `PIL.Image.convert("L")`, and a pixel whose channels are equal keeps its value.
    /// - Gray to colour copies the luminance into red, green and blue.
    /// - Alpha is kept when both models have it, added as fully opaque when only the target
    ///   has it, and dropped (not composited) when only the source has it.
    ///
    /// The bit depth is unchanged. Returns `self` when the model is already `target`.
    public func converted(to target: ColorModel) -> Image {
        if target == colorModel { return self }
        switch samples {
        case .uint8(let values):
            return Image(width: width, height: height, colorModel: target,
                         samples: .uint8(Self.convertPixels(values, from: colorModel, to: target, opaque: UInt8.max)))
        case .uint16(let values):
            return Image(width: width, height: height, colorModel: target,
                         samples: .uint16(Self.convertPixels(values, from: colorModel, to: target, opaque: UInt16.max)))
        }
    }

    /// The image as one luminance channel (alpha dropped); see ``converted(to:)``.
    public func convertedToGray() -> Image { converted(to: .gray) }

    /// The image as red, green and blue (gray replicated, alpha dropped); see ``converted(to:)``.
    public func convertedToRGB() -> Image { converted(to: .rgb) }

    /// The image without its alpha channel (gray+alpha → gray, RGBA → RGB). Alpha is discarded,
    /// not composited onto a background; an image without alpha is returned unchanged.
    public func droppingAlpha() -> Image {
        switch colorModel {
        case .gray, .rgb: self
        case .grayAlpha: converted(to: .gray)
        case .rgba: converted(to: .rgb)
        }
    }

    /// The image at another bit depth (8 or 16).
    ///
    /// Widening multiplies by 257 (so 255 becomes 65535) and is undone exactly by narrowing,
    /// which rounds `v · 255 / 65535` to the nearest integer.
    public func converted(toBitDepth target: Int) -> Image {
        precondition(target == 8 || target == 16, "Image.converted(toBitDepth:): bit depth must be 8 or 16, got \(target)")
        switch (samples, target) {
        case (.uint8, 8), (.uint16, 16):
            return self
        case (.uint8(let values), _):
            let wide = [UInt16](unsafeUninitializedCapacity: values.count) { out, initialized in
                values.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { out[i] = UInt16(source[i]) &* 257 }
                }
                initialized = values.count
            }
            return Image(width: width, height: height, colorModel: colorModel, samples: .uint16(wide))
        case (.uint16(let values), _):
            let narrow = [UInt8](unsafeUninitializedCapacity: values.count) { out, initialized in
                values.withUnsafeBufferPointer { source in
                    for i in 0..<source.count { out[i] = UInt8((UInt32(source[i]) &* 255 &+ 32767) / 65535) }
                }
                initialized = values.count
            }
            return Image(width: width, height: height, colorModel: colorModel, samples: .uint8(narrow))
        }
    }

    /// BT.601 luma in Pillow's 16-bit fixed point; the weights sum to 65536, so gray stays gray.
    @inline(__always)
    static func luma<Sample: FixedWidthInteger & UnsignedInteger>(_ r: Sample, _ g: Sample, _ b: Sample) -> Sample {
        let sum = UInt64(truncatingIfNeeded: r) &* 19595 &+ UInt64(truncatingIfNeeded: g) &* 38470
            &+ UInt64(truncatingIfNeeded: b) &* 7471 &+ 0x8000
        return Sample(truncatingIfNeeded: sum >> 16)
    }

    /// Converts interleaved pixels between colour models (see ``converted(to:)``).
    static func convertPixels<Sample: FixedWidthInteger & UnsignedInteger>(
        _ values: [Sample], from source: ColorModel, to target: ColorModel, opaque: Sample
    ) -> [Sample] {
        let inChannels = source.channelCount, outChannels = target.channelCount
        let pixelCount = values.count / inChannels
        let sourceIsColor = source.isColor, sourceHasAlpha = source.hasAlpha
        let targetIsColor = target.isColor, targetHasAlpha = target.hasAlpha
        return [Sample](unsafeUninitializedCapacity: pixelCount * outChannels) { out, initialized in
            values.withUnsafeBufferPointer { input in
                // The branches depend only on the two models, so they predict perfectly.
                for p in 0..<pixelCount {
                    let i = p * inChannels, o = p * outChannels
                    if targetIsColor {
                        if sourceIsColor {
                            out[o] = input[i]; out[o + 1] = input[i + 1]; out[o + 2] = input[i + 2]
                        } else {
                            out[o] = input[i]; out[o + 1] = input[i]; out[o + 2] = input[i]
                        }
                    } else {
                        out[o] = sourceIsColor ? luma(input[i], input[i + 1], input[i + 2]) : input[i]
                    }
                    if targetHasAlpha {
                        out[o + outChannels - 1] = sourceHasAlpha ? input[i + inChannels - 1] : opaque
                    }
                }
            }
            initialized = pixelCount * outChannels
        }
    }
}
