import Tensor

/// Rotates the image by a uniformly random angle about its centre (torchvision's
/// `RandomRotation`): positive angles turn counter-clockwise, the size is kept and the
/// uncovered corners take `fill`.
public struct RandomRotation: Transform {
    /// The range of angles, in degrees.
    public let degrees: ClosedRange<Double>
    /// The sampling filter.
    public let interpolation: Interpolation
    /// The value of pixels that come from outside the image.
    public let fill: Float

    /// Rotates by an angle drawn uniformly from `degrees`.
    public init(degrees: ClosedRange<Double>, interpolation: Interpolation = .bilinear, fill: Float = 0) {
        (self.degrees, self.interpolation, self.fill) = (degrees, interpolation, fill)
    }

    /// Rotates by an angle drawn uniformly from `-degrees...degrees`.
    public init(degrees: Double, interpolation: Interpolation = .bilinear, fill: Float = 0) {
        precondition(degrees >= 0, "RandomRotation: degrees must not be negative, got \(degrees)")
        self.init(degrees: -degrees...degrees, interpolation: interpolation, fill: fill)
    }

    /// The rotated image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        let angle = degrees.lowerBound + (degrees.upperBound - degrees.lowerBound) * generator.nextUnitDouble()
        return image.rotated(degrees: angle, interpolation: interpolation, fill: fill)
    }
}
