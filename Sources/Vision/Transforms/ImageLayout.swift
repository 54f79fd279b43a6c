import Tensor

/// The dimensions of a CHW image tensor, checked once at the start of each image operation.
struct ImageLayout: Equatable {
    let channels: Int
    let height: Int
    let width: Int

    /// Pixels per channel plane.
    var planeCount: Int { height * width }

    /// The layout of `image`, which must have shape `[C, H, W]` with every axis positive;
    /// `operation` names the caller in the failure message.
    init(_ image: Tensor, _ operation: String) {
        let shape = image.shape
        precondition(shape.count == 3 && shape.allSatisfy { $0 > 0 },
                     "\(operation): expected an image tensor of shape [channels, height, width], got \(shape)")
        (channels, height, width) = (shape[0], shape[1], shape[2])
    }
}

/// Where a transform places or reads a rectangle of an image, in pixels.
public struct ImageRegion: Sendable, Hashable, CustomStringConvertible {
    /// The first row.
    public var top: Int
    /// The first column.
    public var left: Int
    /// The number of rows.
    public var height: Int
    /// The number of columns.
    public var width: Int

    /// A rectangle of `height` rows and `width` columns whose top-left pixel is (`left`, `top`).
    public init(top: Int, left: Int, height: Int, width: Int) {
        (self.top, self.left, self.height, self.width) = (top, left, height, width)
    }

    /// "64×48 at (top 3, left 5)".
    public var description: String { "\(width)×\(height) at (top \(top), left \(left))" }
}

extension RandomGenerator {
    /// A uniform Float in `range` (torchvision's `uniform_(low, high)`).
    mutating func uniformSample(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitFloat()
    }

    /// A uniform integer in `0..<count` (torchvision's `randint(0, count)`).
    mutating func integerSample(below count: Int) -> Int {
        precondition(count > 0, "integerSample: empty range 0..<\(count)")
        // The modulo bias is below 2⁻⁴⁰ for image-sized ranges.
        return Int(next() % UInt64(count))
    }
}

/// Python's `round` (ties to even), which torchvision uses to turn sizes and offsets into
/// pixels; matching it keeps crops and translations identical for the same parameters.
@inline(__always)
func roundHalfToEven(_ value: Double) -> Int {
    Int(value.rounded(.toNearestOrEven))
}
