import Tensor

/// Multiplies the image by a random factor (the brightness part of torchvision's
/// `ColorJitter`); values are clamped to 0...1.
public struct RandomBrightness: Transform {
    /// The range of factors; 1 leaves the image unchanged.
    public let factor: ClosedRange<Float>

    /// A factor drawn uniformly from `factor`.
    public init(factor: ClosedRange<Float>) {
        precondition(factor.lowerBound >= 0, "RandomBrightness: factors must not be negative, got \(factor)")
        self.factor = factor
    }

    /// A factor drawn uniformly from `max(0, 1 − amount)...1 + amount` (`ColorJitter(brightness=amount)`).
    public init(_ amount: Float) { self.init(factor: Swift.max(0, 1 - amount)...(1 + amount)) }

    /// The adjusted image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        image.brightnessAdjusted(by: generator.uniformSample(in: factor))
    }
}

/// Blends the image with its mean gray level by a random factor (the contrast part of
/// torchvision's `ColorJitter`); values are clamped to 0...1.
public struct RandomContrast: Transform {
    /// The range of factors; 1 leaves the image unchanged.
    public let factor: ClosedRange<Float>

    /// A factor drawn uniformly from `factor`.
    public init(factor: ClosedRange<Float>) {
        precondition(factor.lowerBound >= 0, "RandomContrast: factors must not be negative, got \(factor)")
        self.factor = factor
    }

    /// A factor drawn uniformly from `max(0, 1 − amount)...1 + amount` (`ColorJitter(contrast=amount)`).
    public init(_ amount: Float) { self.init(factor: Swift.max(0, 1 - amount)...(1 + amount)) }

    /// The adjusted image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        image.contrastAdjusted(by: generator.uniformSample(in: factor))
    }
}

/// Applies a random gamma curve `x^γ`: a common augmentation for X-rays, whose exposure
/// varies between machines; values are clamped to 0...1.
public struct RandomGamma: Transform {
    /// The range of exponents; 1 leaves the image unchanged.
    public let gamma: ClosedRange<Float>

    /// An exponent drawn uniformly from `gamma`.
    public init(gamma: ClosedRange<Float> = 0.7...1.5) {
        precondition(gamma.lowerBound > 0, "RandomGamma: exponents must be positive, got \(gamma)")
        self.gamma = gamma
    }

    /// The adjusted image.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        image.gammaAdjusted(generator.uniformSample(in: gamma))
    }
}
