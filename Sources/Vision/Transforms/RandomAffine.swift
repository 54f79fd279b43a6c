import Tensor

/// A random rotation, translation, zoom and shear about the centre, in one resampling
/// (torchvision's `RandomAffine`).
///
/// Parameters are drawn in torchvision's order: the angle; the translation, uniform in
/// `±translate.x · W` and `±translate.y · H` and rounded to whole pixels; the scale; the
/// x shear, then the y shear. The default filter is bilinear (torchvision defaults to
/// nearest), which suits X-ray intensities better.
public struct RandomAffine: Transform {
    /// The range of rotation angles in degrees (clockwise, as `F.affine`).
    public let degrees: ClosedRange<Double>
    /// The largest translation as fractions of the width and height, or `nil`.
    public let translate: (x: Double, y: Double)?
    /// The range of zoom factors, or `nil` for 1.
    public let scale: ClosedRange<Double>?
    /// The range of x-shear angles in degrees, or `nil`.
    public let shearX: ClosedRange<Double>?
    /// The range of y-shear angles in degrees, or `nil`.
    public let shearY: ClosedRange<Double>?
    /// The sampling filter.
    public let interpolation: Interpolation
    /// The value of pixels that come from outside the image.
    public let fill: Float

    /// A random affine map with each component drawn from its range.
    public init(degrees: ClosedRange<Double>, translate: (x: Double, y: Double)? = nil, scale: ClosedRange<Double>? = nil,
                shearX: ClosedRange<Double>? = nil, shearY: ClosedRange<Double>? = nil,
                interpolation: Interpolation = .bilinear, fill: Float = 0) {
        if let translate {
            precondition((0...1).contains(translate.x) && (0...1).contains(translate.y),
                         "RandomAffine: translate fractions must be in 0...1, got \(translate)")
        }
        if let scale { precondition(scale.lowerBound > 0, "RandomAffine: scale must be positive, got \(scale)") }
        (self.degrees, self.translate, self.scale, self.shearX, self.shearY) = (degrees, translate, scale, shearX, shearY)
        (self.interpolation, self.fill) = (interpolation, fill)
    }

    /// Draws the parameters for an image of `height × width` pixels.
    public func parameters(height: Int, width: Int, generator: inout RandomGenerator) -> AffineParameters {
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitDouble()
        }
        let angle = uniform(degrees)
        var translation = (x: 0.0, y: 0.0)
        if let translate {
            let maxX = translate.x * Double(width), maxY = translate.y * Double(height)
            translation = (Double(roundHalfToEven(uniform(-maxX...maxX))), Double(roundHalfToEven(uniform(-maxY...maxY))))
        }
        let zoom = scale.map(uniform) ?? 1
        let shear = (x: shearX.map(uniform) ?? 0, y: shearY.map(uniform) ?? 0)
        return AffineParameters(angle: angle, translation: translation, scale: zoom, shear: shear)
    }

    /// The transformed image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        let layout = ImageLayout(image, "RandomAffine")
        let parameters = parameters(height: layout.height, width: layout.width, generator: &generator)
        return image.affineTransformed(parameters, interpolation: interpolation, fill: fill)
    }
}
