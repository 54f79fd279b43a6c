import Tensor

/// Applies a transform with probability `probability`, else passes the image through
/// (torchvision's `RandomApply`).
///
/// One uniform number is drawn to decide; the wrapped transform draws its own only when it
/// runs.
public struct RandomApply: Transform {
    /// The chance, in 0...1, that the transform runs.
    public let probability: Float
    /// The transform applied when chosen.
    public let transform: any Transform

    /// Applies `transform` with probability `probability`.
    public init(_ transform: any Transform, probability: Float = 0.5) {
        precondition((0...1).contains(probability), "RandomApply: probability \(probability) is outside 0...1")
        self.transform = transform
        self.probability = probability
    }

    /// Applies the transforms of a `Compose { ... }` body with probability `probability`.
    public init(probability: Float = 0.5, @TransformBuilder _ build: () -> [any Transform]) {
        self.init(Compose(build()), probability: probability)
    }

    /// The transformed image with probability `probability`, else `image`.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        generator.nextUnitFloat() < probability ? transform(image, generator: &generator) : image
    }
}
