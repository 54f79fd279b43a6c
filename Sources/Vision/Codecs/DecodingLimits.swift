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

    /// Limits of `maxPixels` pixels and `maxDimension` per side.
    ///
    /// - Precondition: both are positive.
    public init(maxPixels: Int = 100_000_000, maxDimension: Int = 65_535) {
        precondition(maxPixels > 0 && maxDimension > 0,
                     "DecodingLimits: limits must be positive, got maxPixels \(maxPixels), maxDimension \(maxDimension)")
        self.maxPixels = maxPixels
        self.maxDimension = maxDimension
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
