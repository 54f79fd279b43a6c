/// Bounds on the images a decoder agrees to allocate, checked against the dimensions a file
/// declares before any pixel memory is allocated.
///
/// A few hundred bytes of PNG or JPEG can declare a 100000×100000 image (a "decompression
/// bomb"); without limits, decoding it would try to allocate tens of gigabytes. Services
/// that decode untrusted uploads should lower the defaults to what they expect.
public struct DecodingLimits: Sendable, Equatable, CustomStringConvertible {
    /// The largest accepted `width * height`.
    public var maxPixels: Int
    /// The largest accepted width or height.
    public var maxDimension: Int
    /// The deepest nesting of DICOM sequences accepted (a "nesting bomb" of thousands of
    /// nested sequences would otherwise recurse without bound).
    public var maxNestingDepth: Int

    /// Limits of `maxPixels` pixels and `maxDimension` per side, and `maxNestingDepth` levels
    /// of DICOM sequences.
    ///
    /// - Precondition: all are positive.
    public init(maxPixels: Int = 100_000_000, maxDimension: Int = 65_535, maxNestingDepth: Int = 64) {
        precondition(maxPixels > 0 && maxDimension > 0 && maxNestingDepth > 0,
                     "DecodingLimits: limits must be positive, got maxPixels \(maxPixels), maxDimension \(maxDimension), "
                        + "maxNestingDepth \(maxNestingDepth)")
        self.maxPixels = maxPixels
        self.maxDimension = maxDimension
        self.maxNestingDepth = maxNestingDepth
    }

    /// The most bytes a deflated DICOM data set may inflate to: room for one frame of the
    /// largest accepted image (3 samples of 16 bits per pixel) plus 16 MiB of other elements.
    public var maxInflatedBytes: Int {
        let (frame, overflow) = maxPixels.multipliedReportingOverflow(by: 6)
        let (total, overflowAgain) = frame.addingReportingOverflow(16 << 20)
        return overflow || overflowAgain ? Int.max : total
    }

    /// 100 million pixels (400 MB as 8-bit RGBA, 800 MB as 16-bit), 65535 per side
    /// (the largest JPEG).
    public static let `default` = DecodingLimits()

    /// Whether an image of this size is within the limits.
    public func allows(width: Int, height: Int) -> Bool {
        guard width <= maxDimension, height <= maxDimension else { return false }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        return !overflow && pixels <= maxPixels
    }

    /// "at most 100000000 pixels and 65535 per side".
    public var description: String { "at most \(maxPixels) pixels and \(maxDimension) per side" }
}
