import Tensor

/// Adds independent Gaussian noise to every value (torchvision v2's `GaussianNoise`),
/// optionally clamping the result to 0...1.
public struct GaussianNoise: Transform {
    /// The mean of the noise.
    public let mean: Float
    /// The standard deviation of the noise.
    public let standardDeviation: Float
    /// Whether the result is clamped to 0...1.
    public let clip: Bool

    /// Noise of the given mean and standard deviation.
    public init(mean: Float = 0, standardDeviation: Float = 0.1, clip: Bool = true) {
        precondition(standardDeviation >= 0, "GaussianNoise: standard deviation must not be negative, got \(standardDeviation)")
        (self.mean, self.standardDeviation, self.clip) = (mean, standardDeviation, clip)
    }

    /// The noisy image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        _ = ImageLayout(image, "GaussianNoise")
        var result = Tensor.normal(image.shape, mean: mean, standardDeviation: standardDeviation, generator: &generator)
        let clip = clip
        result.withUnsafeMutableBufferPointer { noise in
            image.withUnsafeBufferPointer { input in
                for i in 0..<input.count {
                    let value = input[i] + noise[i]
                    noise[i] = clip ? Swift.min(Swift.max(value, 0), 1) : value
                }
            }
        }
        return result
    }
}
