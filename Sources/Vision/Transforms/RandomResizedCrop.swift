import Foundation  // cos, sin, tan, log, exp
import Tensor

/// Crops a random region of random area and aspect ratio and resizes it to a fixed size
/// (torchvision's `RandomResizedCrop`, the standard ImageNet training augmentation).
///
/// Up to ten times, an area fraction is drawn from `scale` and an aspect ratio
/// log-uniformly from `ratio`; the first region that fits is placed uniformly at random.
/// If none fits, the largest centred region with a ratio inside `ratio` is used.
public struct RandomResizedCrop: Transform {
    /// Rows of the output.
    public let height: Int
    /// Columns of the output.
    public let width: Int
    /// The range of the crop's area as a fraction of the image's.
    public let scale: ClosedRange<Double>
    /// The range of the crop's width / height.
    public let ratio: ClosedRange<Double>
    /// The resampling filter.
    public let interpolation: Interpolation
    /// Whether downscaling is antialiased.
    public let antialias: Bool

    /// Random crops resized to `height × width`.
    public init(height: Int, width: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: Interpolation = .bilinear, antialias: Bool = true) {
        precondition(height > 0 && width > 0, "RandomResizedCrop: size must be positive, got \(height)×\(width)")
        precondition(scale.lowerBound > 0 && ratio.lowerBound > 0, "RandomResizedCrop: scale \(scale) and ratio \(ratio) must be positive")
        (self.height, self.width, self.scale, self.ratio) = (height, width, scale, ratio)
        (self.interpolation, self.antialias) = (interpolation, antialias)
    }

    /// Random crops resized to a square `size × size`.
    public init(size: Int, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: Interpolation = .bilinear, antialias: Bool = true) {
        self.init(height: size, width: size, scale: scale, ratio: ratio, interpolation: interpolation, antialias: antialias)
    }

    /// Draws the crop region for an image of `imageHeight × imageWidth` (torchvision's
    /// `get_params`).
    public func region(imageHeight: Int, imageWidth: Int, generator: inout RandomGenerator) -> ImageRegion {
        let area = Double(imageHeight * imageWidth)
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitDouble()
        }
        for _ in 0..<10 {
            let targetArea = area * uniform(scale)
            let aspect = exp(uniform(logRatio))
            let w = roundHalfToEven((targetArea * aspect).squareRoot())
            let h = roundHalfToEven((targetArea / aspect).squareRoot())
            if w > 0 && w <= imageWidth && h > 0 && h <= imageHeight {
                let top = generator.integerSample(below: imageHeight - h + 1)
                let left = generator.integerSample(below: imageWidth - w + 1)
                return ImageRegion(top: top, left: left, height: h, width: w)
            }
        }
        // Fallback: the whole image, trimmed to the nearest allowed aspect ratio.
        let imageRatio = Double(imageWidth) / Double(imageHeight)
        var w = imageWidth, h = imageHeight
        if imageRatio < ratio.lowerBound {
            h = roundHalfToEven(Double(w) / ratio.lowerBound)
        } else if imageRatio > ratio.upperBound {
            w = roundHalfToEven(Double(h) * ratio.upperBound)
        }
        return ImageRegion(top: (imageHeight - h) / 2, left: (imageWidth - w) / 2, height: h, width: w)
    }

    /// The resized crop.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        let layout = ImageLayout(image, "RandomResizedCrop")
        let crop = region(imageHeight: layout.height, imageWidth: layout.width, generator: &generator)
        return image.resized(from: crop, height: height, width: width, interpolation: interpolation, antialias: antialias)
    }
}
