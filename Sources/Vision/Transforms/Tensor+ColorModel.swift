import Tensor

extension Tensor {
    /// The CHW image as one gray channel: a 1-channel image unchanged, a 3-channel one
    /// as BT.601 luma `0.299 R + 0.587 G + 0.114 B` (the weights of the image codecs).
    public func convertedToGrayscale() -> Tensor {
        let layout = ImageLayout(self, "convertedToGrayscale()")
        if layout.channels == 1 { return self }
        precondition(layout.channels == 3, "convertedToGrayscale(): expected 1 or 3 channels, got shape \(shape)")
        let plane = layout.planeCount, w = ImageStatistics.lumaWeights
        return Tensor(shape: [1, layout.height, layout.width]) { out in
            withUnsafeBufferPointer { input in
                let r = input.baseAddress!, g = r + plane, b = g + plane
                for i in 0..<plane { out[i] = w.red * r[i] + w.green * g[i] + w.blue * b[i] }
            }
        }
    }

    /// The CHW image as three channels: a gray channel copied into red, green and blue, a
    /// 3-channel image unchanged (to feed X-rays to ImageNet networks).
    public func convertedToRGB() -> Tensor {
        let layout = ImageLayout(self, "convertedToRGB()")
        if layout.channels == 3 { return self }
        precondition(layout.channels == 1, "convertedToRGB(): expected 1 or 3 channels, got shape \(shape)")
        let plane = layout.planeCount
        return Tensor(shape: [3, layout.height, layout.width]) { out in
            withUnsafeBufferPointer { input in
                for c in 0..<3 { (out.baseAddress! + c * plane).update(from: input.baseAddress!, count: plane) }
            }
        }
    }
}

/// Converts to one gray channel (torchvision's `Grayscale(num_output_channels=1)`); see
/// `Tensor.convertedToGrayscale()`.
public struct Grayscale: DeterministicTransform {
    /// Conversion to gray, no parameters.
    public init() {}

    /// The gray image.
    public func callAsFunction(_ image: Tensor) -> Tensor { image.convertedToGrayscale() }
}

/// Converts a gray image to three equal channels; see `Tensor.convertedToRGB()`.
public struct ToRGB: DeterministicTransform {
    /// Conversion to RGB, no parameters.
    public init() {}

    /// The 3-channel image.
    public func callAsFunction(_ image: Tensor) -> Tensor { image.convertedToRGB() }
}
