import Tensor

/// A dataset whose images pass through a transform pipeline (augmentation, resizing,
/// normalization).
///
/// Through a ``DataLoader`` the transform draws from the loader's per-sample generator, so
/// the augmentation changes every epoch and does not depend on the number of workers.
/// Called directly, `sample(at:)` uses a generator fixed by `seed` and the index: the same
/// sample each time, handy for inspecting an augmentation.
public struct TransformedDataset<Base: Dataset>: Dataset {
    /// The underlying dataset.
    public let base: Base
    /// The transform applied to every image.
    public let transform: any Transform
    /// The seed of the generators used by `sample(at:)` without a generator.
    public let seed: UInt64

    /// `base` with `transform` applied to each image.
    public init(_ base: Base, transform: any Transform, seed: UInt64 = 0) {
        (self.base, self.transform, self.seed) = (base, transform, seed)
    }

    /// The number of samples of the base.
    public var count: Int { base.count }

    /// The transformed sample, with randomness fixed by `seed` and `index`.
    public func sample(at index: Int) throws -> Sample {
        var generator = RandomGenerator.stream(seed: seed, index: UInt64(index))
        return try sample(at: index, generator: &generator)
    }

    /// The base sample (itself drawn from `generator` if augmented), then transformed with
    /// randomness from `generator`.
    public func sample(at index: Int, generator: inout RandomGenerator) throws -> Sample {
        var sample = try base.sample(at: index, generator: &generator)
        sample.image = transform(sample.image, generator: &generator)
        return sample
    }

    /// The base label: transforms do not change labels.
    public func label(at index: Int) throws -> Int { try base.label(at: index) }
}
