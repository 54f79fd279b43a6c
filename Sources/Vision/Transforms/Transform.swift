import Tensor

/// An image transformation: a small value that maps one CHW image tensor to another.
///
/// Images are Float32 tensors of shape `[channels, height, width]` (usually 1 or 3 channels,
/// values in 0...1 before ``Normalize``). Randomness comes only from the generator passed in,
/// so a pipeline gives the same output for the same generator state, whatever thread runs it
/// (the ``DataLoader`` derives one generator per sample from its seed).
///
/// ```swift
/// let augment = Compose {
///     RandomAffine(degrees: -10...10, translate: (0.05, 0.05))
///     Normalize(mean: [0.5], standardDeviation: [0.25])
/// }
/// var generator = RandomGenerator(seed: 7)
/// let output = augment(image, generator: &generator)
/// ```
public protocol Transform: Sendable {
    /// The transformed image; random choices are drawn from `generator`.
    func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor
}

/// A transform that draws no random numbers, so it can also be applied without a generator.
public protocol DeterministicTransform: Transform {
    /// The transformed image.
    func callAsFunction(_ image: Tensor) -> Tensor
}

extension DeterministicTransform {
    /// The transformed image; the generator is left untouched.
    public func callAsFunction(_ image: Tensor, generator: inout RandomGenerator) -> Tensor {
        callAsFunction(image)
    }
}
