import Tensor

/// Mirrors the image left to right with probability `probability` (torchvision's
/// `RandomHorizontalFlip`).
public struct RandomHorizontalFlip: Transform {
    /// The chance, in 0...1, of flipping.
    public let probability: Float

    /// Flips with probability `probability`.
    public init(probability: Float = 0.5) {
        precondition((0...1).contains(probability), "RandomHorizontalFlip: probability \(probability) is outside 0...1")
        self.probability = probability
    }

    /// The image, flipped or not.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        generator.nextUnitFloat() < probability ? image.flippedHorizontally() : image
    }
}

/// Mirrors the image top to bottom with probability `probability` (torchvision's
/// `RandomVerticalFlip`). Rarely right for X-rays, whose anatomy has an up.
public struct RandomVerticalFlip: Transform {
    /// The chance, in 0...1, of flipping.
    public let probability: Float

    /// Flips with probability `probability`.
    public init(probability: Float = 0.5) {
        precondition((0...1).contains(probability), "RandomVerticalFlip: probability \(probability) is outside 0...1")
        self.probability = probability
    }

    /// The image, flipped or not.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        generator.nextUnitFloat() < probability ? image.flippedVertically() : image
    }
}
