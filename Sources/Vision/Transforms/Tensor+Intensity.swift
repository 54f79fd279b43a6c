import Foundation  // powf
import Tensor

// Photometric adjustments for images with values in 0...1 (torchvision's `adjust_brightness`,
// `adjust_contrast`, `adjust_gamma` on float tensors): results are clamped to 0...1.

extension Tensor {
    /// The CHW image with every value multiplied by `factor` (0 gives black, 1 the image),
    /// clamped to 0...1.
    public func brightnessAdjusted(by factor: Float) -> Tensor {
        _ = ImageLayout(self, "brightnessAdjusted(by:)")
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for i in 0..<input.count { out[i] = Swift.min(Swift.max(input[i] * factor, 0), 1) }
            }
        }
    }

    /// The CHW image blended with its mean gray level: `factor · x + (1 − factor) · mean`,
    /// clamped to 0...1 (0 gives a uniform gray, 1 the image). The mean of a 3-channel image
    /// is taken over its BT.601 luma, as torchvision does.
    public func contrastAdjusted(by factor: Float) -> Tensor {
        let layout = ImageLayout(self, "contrastAdjusted(by:)")
        let mean = withUnsafeBufferPointer { input in
            ImageStatistics.meanGray(input, layout: layout)
        }
        let offset = (1 - factor) * mean
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for i in 0..<input.count { out[i] = Swift.min(Swift.max(factor * input[i] + offset, 0), 1) }
            }
        }
    }

    /// The CHW image with `gain · x^gamma` per value, clamped to 0...1: `gamma` below 1
    /// brightens the dark range, above 1 darkens it. Negative inputs count as 0.
    public func gammaAdjusted(_ gamma: Float, gain: Float = 1) -> Tensor {
        precondition(gamma > 0, "gammaAdjusted: gamma must be positive, got \(gamma)")
        _ = ImageLayout(self, "gammaAdjusted(_:gain:)")
        return Tensor(shape: shape) { out in
            withUnsafeBufferPointer { input in
                for i in 0..<input.count { out[i] = Swift.min(Swift.max(gain * powf(Swift.max(input[i], 0), gamma), 0), 1) }
            }
        }
    }
}

/// Whole-image statistics used by several transforms.
enum ImageStatistics {
    /// BT.601 luma weights (the rounding-free form of the codec's fixed-point weights).
    static let lumaWeights: (red: Float, green: Float, blue: Float) = (0.299, 0.587, 0.114)

    /// The mean of the gray image: the single channel, or the luma of the first three.
    static func meanGray(_ input: UnsafeBufferPointer<Float>, layout: ImageLayout) -> Float {
        let plane = layout.planeCount
        let base = input.baseAddress!
        func planeSum(_ c: Int) -> Double {
            var sum: Double = 0
            for i in 0..<plane { sum += Double(base[c * plane + i]) }
            return sum
        }
        if layout.channels < 3 { return Float(planeSum(0) / Double(plane)) }
        let w = lumaWeights
        let total = Double(w.red) * planeSum(0) + Double(w.green) * planeSum(1) + Double(w.blue) * planeSum(2)
        return Float(total / Double(plane))
    }
}
