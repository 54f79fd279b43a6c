import Tensor

/// Crops a `height × width` window at a uniformly random position (torchvision's
/// `RandomCrop`), after optional padding.
///
/// The row offset is drawn first, then the column offset, each uniform over every position
/// that keeps the window inside the (padded) image.
public struct RandomCrop: Transform {
    /// Rows of the output.
    public let height: Int
    /// Columns of the output.
    public let width: Int
    /// Pixels added on every side before cropping.
    public let padding: Int
    /// Whether an image smaller than the crop is padded up to it first. As in torchvision,
    /// the missing amount is added on both sides of the short axis.
    public let padIfNeeded: Bool
    /// How padding is filled.
    public let paddingMode: BorderMode

    /// A random `height × width` crop of the image padded by `padding` on each side.
    public init(height: Int, width: Int, padding: Int = 0, padIfNeeded: Bool = false,
                paddingMode: BorderMode = .constant(0)) {
        precondition(height > 0 && width > 0, "RandomCrop: size must be positive, got \(height)×\(width)")
        precondition(padding >= 0, "RandomCrop: padding must not be negative, got \(padding)")
        (self.height, self.width, self.padding, self.padIfNeeded, self.paddingMode) =
            (height, width, padding, padIfNeeded, paddingMode)
    }

    /// A random square `size × size` crop.
    public init(size: Int, padding: Int = 0, padIfNeeded: Bool = false, paddingMode: BorderMode = .constant(0)) {
        self.init(height: size, width: size, padding: padding, padIfNeeded: padIfNeeded, paddingMode: paddingMode)
    }

    /// The cropped image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        var padded = padding > 0 ? image.padded(by: padding, mode: paddingMode) : image
        var layout = ImageLayout(padded, "RandomCrop")
        if padIfNeeded && (layout.height < height || layout.width < width) {
            let dy = max(0, height - layout.height), dx = max(0, width - layout.width)
            padded = padded.padded(top: dy, left: dx, bottom: dy, right: dx, mode: paddingMode)
            layout = ImageLayout(padded, "RandomCrop")
        }
        precondition(layout.height >= height && layout.width >= width,
                     "RandomCrop: crop \(height)×\(width) is larger than the image of shape \(padded.shape)")
        let top = generator.integerSample(below: layout.height - height + 1)
        let left = generator.integerSample(below: layout.width - width + 1)
        return padded.cropped(to: ImageRegion(top: top, left: left, height: height, width: width))
    }
}
