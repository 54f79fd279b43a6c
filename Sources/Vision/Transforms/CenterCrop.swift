import Tensor

/// Crops the central `height × width` pixels (torchvision's `CenterCrop`).
///
/// The offset is `round((H - height) / 2)` with ties to even, as torchvision computes it; a
/// crop larger than the image is padded with zeros.
public struct CenterCrop: DeterministicTransform {
    /// Rows of the output.
    public let height: Int
    /// Columns of the output.
    public let width: Int

    /// A `height × width` centre crop.
    public init(height: Int, width: Int) {
        precondition(height > 0 && width > 0, "CenterCrop: size must be positive, got \(height)×\(width)")
        (self.height, self.width) = (height, width)
    }

    /// A square `size × size` centre crop.
    public init(size: Int) { self.init(height: size, width: size) }

    /// The central region of an image of `imageHeight × imageWidth` pixels.
    public func region(imageHeight: Int, imageWidth: Int) -> ImageRegion {
        ImageRegion(top: roundHalfToEven(Double(imageHeight - height) / 2),
                    left: roundHalfToEven(Double(imageWidth - width) / 2),
                    height: height, width: width)
    }

    /// The cropped image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let layout = ImageLayout(image, "CenterCrop")
        return image.cropped(to: region(imageHeight: layout.height, imageWidth: layout.width))
    }
}
