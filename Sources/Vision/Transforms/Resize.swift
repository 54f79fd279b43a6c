import Tensor

/// Resamples the image to a fixed `height × width` (see
/// `Tensor.resized(height:width:interpolation:antialias:)` for the filters).
public struct Resize: DeterministicTransform {
    /// Rows of the output.
    public let height: Int
    /// Columns of the output.
    public let width: Int
    /// The resampling filter.
    public let interpolation: Interpolation
    /// Whether downscaling averages over the whole footprint (PIL, torchvision
    /// `antialias=True`) rather than sampling two pixels per axis.
    public let antialias: Bool

    /// Resizes to `height × width`, ignoring the aspect ratio.
    public init(height: Int, width: Int, interpolation: Interpolation = .bilinear, antialias: Bool = true) {
        precondition(height > 0 && width > 0, "Resize: size must be positive, got \(height)×\(width)")
        (self.height, self.width, self.interpolation, self.antialias) = (height, width, interpolation, antialias)
    }

    /// Resizes to a square `size × size`.
    public init(size: Int, interpolation: Interpolation = .bilinear, antialias: Bool = true) {
        self.init(height: size, width: size, interpolation: interpolation, antialias: antialias)
    }

    /// The resized image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        image.resized(height: height, width: width, interpolation: interpolation, antialias: antialias)
    }
}

/// Resizes so that the shorter side becomes `size`, keeping the aspect ratio (torchvision's
/// `Resize(int)`): the longer side becomes `floor(size · long / short)`.
public struct ResizeShorterSide: DeterministicTransform {
    /// The length of the shorter side after resizing.
    public let size: Int
    /// An upper bound on the longer side, or `nil`; when exceeded, the longer side is set to
    /// it and the shorter side scaled down to match (torchvision's `max_size`).
    public let maxSize: Int?
    /// The resampling filter.
    public let interpolation: Interpolation
    /// Whether downscaling is antialiased.
    public let antialias: Bool

    /// Resizes the shorter side to `size`.
    public init(to size: Int, maxSize: Int? = nil, interpolation: Interpolation = .bilinear, antialias: Bool = true) {
        precondition(size > 0, "ResizeShorterSide: size must be positive, got \(size)")
        precondition(maxSize.map { $0 > size } ?? true, "ResizeShorterSide: maxSize \(maxSize ?? 0) must exceed size \(size)")
        (self.size, self.maxSize, self.interpolation, self.antialias) = (size, maxSize, interpolation, antialias)
    }

    /// The output size for an image of `height × width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        let short = min(height, width), long = max(height, width)
        var newShort = size, newLong = Int(Double(size) * Double(long) / Double(short))
        if let maxSize, newLong > maxSize {
            newShort = Int(Double(maxSize) * Double(newShort) / Double(newLong))
            newLong = maxSize
        }
        return height <= width ? (newShort, newLong) : (newLong, newShort)
    }

    /// The resized image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        let layout = ImageLayout(image, "ResizeShorterSide")
        let target = outputSize(height: layout.height, width: layout.width)
        return image.resized(height: target.height, width: target.width, interpolation: interpolation, antialias: antialias)
    }
}
