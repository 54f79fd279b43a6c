/// A decoded raster image: interleaved 8- or 16-bit samples, row-major, top row first.
///
/// `Image` is a value type; copies share their pixel buffer until one is modified. It is what
/// the codecs produce and consume (`Image.decode(_:limits:source:)`, `pngData(bitDepth:)`,
/// `jpegData(quality:)`) and what the tensor bridge (`Tensor(image:)`, `Image(tensor:)`)
/// converts.
///
/// Sample `c` of the pixel at column `x`, row `y` is element
/// `(y * width + x) * channels + c` of the sample array.
///
/// ```swift
/// let image = try Image(contentsOfFile: "xray.jpeg")
/// let gray = image.convertedToGray()
/// try gray.write(toFile: "xray.png")
/// ```
public struct Image: Sendable, Equatable {
    /// Which channels each pixel has, in storage order.
    public enum ColorModel: Int, Sendable, CaseIterable, CustomStringConvertible {
        /// One luminance sample.
        case gray = 1
        /// Luminance then alpha.
        case grayAlpha = 2
        /// Red, green, blue.
        case rgb = 3
        /// Red, green, blue, alpha.
        case rgba = 4

        /// The number of samples per pixel.
        @inlinable public var channelCount: Int { rawValue }

        /// Whether the last channel is alpha (opacity).
        @inlinable public var hasAlpha: Bool { self == .grayAlpha || self == .rgba }

        /// Whether the pixels carry colour (red, green, blue) rather than one luminance.
        @inlinable public var isColor: Bool { self == .rgb || self == .rgba }

        /// The colour model with the given number of channels (1–4), or `nil`.
        public init?(channelCount: Int) { self.init(rawValue: channelCount) }

        /// "gray", "gray+alpha", "RGB" or "RGBA".
        public var description: String {
            switch self {
            case .gray: "gray"
            case .grayAlpha: "gray+alpha"
            case .rgb: "RGB"
            case .rgba: "RGBA"
            }
        }
    }

    /// The pixel samples, at one of the two supported bit depths.
    public enum Samples: Sendable, Equatable {
        /// 8-bit samples, 0–255.
        case uint8([UInt8])
        /// 16-bit samples, 0–65535.
        case uint16([UInt16])

        /// The number of samples.
        public var count: Int {
            switch self {
            case .uint8(let values): values.count
            case .uint16(let values): values.count
            }
        }

        /// 8 or 16.
        public var bitDepth: Int {
            switch self {
            case .uint8: 8
            case .uint16: 16
            }
        }
    }

    /// Pixels per row.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// The channels of each pixel.
    public let colorModel: ColorModel
    /// The interleaved samples, `width * height * channels` of them.
    public let samples: Samples

    /// An image from interleaved samples.
    ///
    /// - Precondition: `width` and `height` are positive and `samples` holds exactly
    ///   `width * height * colorModel.channelCount` values.
    public init(width: Int, height: Int, colorModel: ColorModel, samples: Samples) {
        precondition(width > 0 && height > 0, "Image: dimensions must be positive, got \(width)×\(height)")
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        precondition(!overflow, "Image: \(width)×\(height) pixels overflow Int")
        precondition(samples.count == pixels * colorModel.channelCount,
                     "Image: \(width)×\(height) \(colorModel) needs \(pixels * colorModel.channelCount) samples, got \(samples.count)")
        self.width = width
        self.height = height
        self.colorModel = colorModel
        self.samples = samples
    }

    /// An 8-bit image from interleaved samples (see ``init(width:height:colorModel:samples:)``).
    public init(width: Int, height: Int, colorModel: ColorModel, pixels: [UInt8]) {
        self.init(width: width, height: height, colorModel: colorModel, samples: .uint8(pixels))
    }

    /// A 16-bit image from interleaved samples (see ``init(width:height:colorModel:samples:)``).
    public init(width: Int, height: Int, colorModel: ColorModel, pixels: [UInt16]) {
        self.init(width: width, height: height, colorModel: colorModel, samples: .uint16(pixels))
    }

    /// The number of samples per pixel (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA).
    @inlinable public var channels: Int { colorModel.channelCount }

    /// Bits per sample: 8 or 16.
    @inlinable public var bitDepth: Int { samples.bitDepth }

    /// The largest sample value at this bit depth: 255 or 65535.
    @inlinable public var maxSampleValue: Int { bitDepth == 8 ? 255 : 65535 }

    /// The number of pixels, `width * height`.
    @inlinable public var pixelCount: Int { width * height }

    /// One sample, widened to `Int` whatever the bit depth. Convenient, not fast: loops over
    /// whole images should switch on ``samples`` once and read the array.
    public subscript(x x: Int, y y: Int, channel channel: Int) -> Int {
        precondition((0..<width).contains(x) && (0..<height).contains(y) && (0..<channels).contains(channel),
                     "Image: (x: \(x), y: \(y), channel: \(channel)) is outside a \(width)×\(height)×\(channels) image")
        let index = (y * width + x) * channels + channel
        switch samples {
        case .uint8(let values): return Int(values[index])
        case .uint16(let values): return Int(values[index])
        }
    }
}

extension Image: CustomStringConvertible {
    /// A summary such as "Image(224×224, RGB, 8-bit)".
    public var description: String { "Image(\(width)×\(height), \(colorModel), \(bitDepth)-bit)" }
}
