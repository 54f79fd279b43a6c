import Tensor

extension Tensor {
    /// A Float32 tensor of shape `[channels, height, width]` (CHW, the layout of one NCHW
    /// batch item) holding the image's samples.
    ///
    /// - Parameters:
    ///   - image: the image; any colour model and bit depth.
    ///   - colorModel: converts the image first (see `Image.converted(to:)`), e.g. `.rgb` to
    ///     feed a grayscale X-ray to an ImageNet network; `nil` keeps the image's channels.
    ///   - scale: `.unit` for values in 0...1, `.raw` for the sample values themselves.
    public init(image: Image, colorModel: Image.ColorModel? = nil, scale: Image.SampleScale = .unit) {
        // Gray to RGB (a radiograph into an ImageNet network) is the common conversion: fill
        // one plane and copy it, instead of building an interleaved RGB image first.
        let replicatesGray = colorModel == .rgb && image.colorModel == .gray
        let source = replicatesGray ? image : colorModel.map { image.converted(to: $0) } ?? image
        let channels = source.channels, pixelCount = source.pixelCount
        let factor: Float = scale == .unit ? 1 / Float(source.maxSampleValue) : 1
        self = Tensor.nonDifferentiable(shape: [replicatesGray ? 3 : channels, source.height, source.width]) { out in
            // Interleaved HWC in, planar CHW out: one pass per channel keeps the writes sequential.
            func fill<Sample: FixedWidthInteger & UnsignedInteger>(_ input: UnsafeBufferPointer<Sample>) {
                for c in 0..<channels {
                    let plane = c * pixelCount
                    // Through UInt32: the generic BinaryInteger-to-Float initializer is slow.
                    for p in 0..<pixelCount {
                        out[plane + p] = Float(UInt32(truncatingIfNeeded: input[p * channels + c])) * factor
                    }
                }
            }
            switch source.samples {
            case .uint8(let values): values.withUnsafeBufferPointer { fill($0) }
            case .uint16(let values): values.withUnsafeBufferPointer { fill($0) }
            }
            if replicatesGray, let base = out.baseAddress {
                (base + pixelCount).initialize(from: base, count: pixelCount)
                (base + 2 * pixelCount).initialize(from: base, count: pixelCount)
            }
        }
    }
}

extension Image {
    /// An image from a tensor of shape `[channels, height, width]` (CHW, 1–4 channels read as
    /// gray, gray+alpha, RGB, RGBA) or `[height, width]` (gray).
    ///
    /// Values are clamped to the valid range (NaN becomes 0) and rounded to the nearest
    /// sample, so `Image(tensor: Tensor(image: x))` gives back `x` exactly at either bit depth.
    ///
    /// - Parameters:
    ///   - tensor: the pixel values.
    ///   - bitDepth: 8 or 16.
    ///   - scale: `.unit` when the values are in 0...1, `.raw` when they are sample values.
    /// - Precondition: the shape is `[C, H, W]` with C in 1...4 or `[H, W]`, with H, W > 0.
    public init(tensor: Tensor, bitDepth: Int = 8, scale: SampleScale = .unit) {
        precondition(bitDepth == 8 || bitDepth == 16, "Image(tensor:): bit depth must be 8 or 16, got \(bitDepth)")
        let shape = tensor.shape
        let chw: [Int]
        switch shape.count {
        case 2: chw = [1] + shape
        case 3: chw = shape
        default: preconditionFailure("Image(tensor:): expected shape [C, H, W] or [H, W], got \(shape)")
        }
        guard let colorModel = ColorModel(channelCount: chw[0]), chw[1] > 0, chw[2] > 0 else {
            preconditionFailure("Image(tensor:): expected 1–4 channels and a non-empty image, got shape \(shape)")
        }
        let (channels, height, width) = (chw[0], chw[1], chw[2])
        let pixelCount = height * width
        let samples: Samples = tensor.withUnsafeBufferPointer { values in
            bitDepth == 8
                ? .uint8(Self.interleave(values, channels: channels, pixelCount: pixelCount, scale: scale))
                : .uint16(Self.interleave(values, channels: channels, pixelCount: pixelCount, scale: scale))
        }
        self.init(width: width, height: height, colorModel: colorModel, samples: samples)
    }

    /// Planar CHW floats to interleaved, clamped, rounded samples.
    private static func interleave<Sample: FixedWidthInteger & UnsignedInteger>(
        _ input: UnsafeBufferPointer<Float>, channels: Int, pixelCount: Int, scale: SampleScale
    ) -> [Sample] {
        let maximum = Float(Sample.max)
        let factor: Float = scale == .unit ? maximum : 1
        return [Sample](unsafeUninitializedCapacity: channels * pixelCount) { out, initialized in
            for c in 0..<channels {
                let plane = c * pixelCount
                for p in 0..<pixelCount {
                    let value = input[plane + p] * factor
                    // `!(value > 0)` also catches NaN.
                    // Through UInt32: the generic Float-to-integer initializer is slow.
                    out[p * channels + c] = !(value > 0) ? 0 : value >= maximum ? Sample.max
                        : Sample(truncatingIfNeeded: UInt32(value + 0.5))
                }
            }
            initialized = channels * pixelCount
        }
    }
}
