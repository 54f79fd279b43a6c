import Tensor

extension Tensor {
    /// The CHW image with each channel shifted and scaled: `(x − mean[c]) / std[c]`.
    ///
    /// `mean` and `standardDeviation` hold one value per channel, or one value for all.
    public func normalized(mean: [Float], standardDeviation: [Float]) -> Tensor {
        let layout = ImageLayout(self, "normalized(mean:standardDeviation:)")
        for values in [mean, standardDeviation] {
            precondition(values.count == layout.channels || values.count == 1,
                         "normalized(mean:standardDeviation:): \(values.count) values for an image of shape \(shape); give 1 or \(layout.channels)")
        }
        precondition(!standardDeviation.contains(0), "normalized(mean:standardDeviation:): a standard deviation is zero")
        let plane = layout.planeCount
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for c in 0..<layout.channels {
                    let shift = mean[mean.count == 1 ? 0 : c]
                    let factor = 1 / standardDeviation[standardDeviation.count == 1 ? 0 : c]
                    let base = c * plane
                    for i in base..<(base + plane) { out[i] = (input[i] - shift) * factor }
                }
            }
        }
    }
}

/// Normalizes each channel: `(x − mean[c]) / std[c]` (torchvision's `Normalize`).
///
/// ```swift
/// Normalize.imageNet  // mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]
/// ```
public struct Normalize: DeterministicTransform {
    /// One mean per channel, or one for all.
    public let mean: [Float]
    /// One standard deviation per channel, or one for all.
    public let standardDeviation: [Float]

    /// Normalizes with the given statistics.
    public init(mean: [Float], standardDeviation: [Float]) {
        precondition(!mean.isEmpty && !standardDeviation.isEmpty, "Normalize: mean and standard deviation must not be empty")
        (self.mean, self.standardDeviation) = (mean, standardDeviation)
    }

    /// The ImageNet statistics expected by torchvision's pretrained RGB models.
    public static let imageNet = Normalize(mean: [0.485, 0.456, 0.406], standardDeviation: [0.229, 0.224, 0.225])

    /// The normalized image.
    public func callAsFunction(_ image: Tensor) -> Tensor {
        image.normalized(mean: mean, standardDeviation: standardDeviation)
    }
}
