import Tensor

/// Pads the image on each side (torchvision's `Pad`): with a constant, the edge pixels, or a
/// mirror image of the border.
public struct Pad: DeterministicTransform {
    /// Pixels added above the image.
    public let top: Int
    /// Pixels added to the left.
    public let left: Int
    /// Pixels added below.
    public let bottom: Int
    /// Pixels added to the right.
    public let right: Int
    /// How the new pixels are filled.
    public let mode: BorderMode

    /// Pads each side by its own amount.
    public init(top: Int, left: Int, bottom: Int, right: Int, mode: BorderMode = .constant(0)) {
        precondition(top >= 0 && left >= 0 && bottom >= 0 && right >= 0,
                     "Pad: amounts must not be negative, got (\(top), \(left), \(bottom), \(right))")
        (self.top, self.left, self.bottom, self.right, self.mode) = (top, left, bottom, right, mode)
    }

    /// Pads all four sides by `amount`.
    public init(_ amount: Int, mode: BorderMode = .constant(0)) {
        self.init(top: amount, left: amount, bottom: amount, right: amount, mode: mode)
    }

    /// The padded image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        image.padded(top: top, left: left, bottom: bottom, right: right, mode: mode)
    }
}
