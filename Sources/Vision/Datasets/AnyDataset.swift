import Tensor

/// A dataset of any concrete type, for code that chooses its dataset at run time (an image
/// folder or a MedMNIST archive) and still needs a `Dataset` type such as
/// `DataLoader<AnyDataset>` or `Subset<AnyDataset>`.
public struct AnyDataset: Dataset {
    /// The wrapped dataset.
    public let base: any Dataset

    /// Wraps `base`.
    public init(_ base: any Dataset) { self.base = base }

    /// The number of samples of the base.
    public var count: Int { base.count }

    /// The base sample at `index`.
    public func sample(at index: Int) throws -> Sample { try base.sample(at: index) }

    /// The base sample at `index`, augmented from `generator` if the base is.
    public func sample(at index: Int, generator: inout RandomGenerator) throws -> Sample {
        try base.sample(at: index, generator: &generator)
    }

    /// The base label at `index` (without decoding where the base knows it).
    public func label(at index: Int) throws -> Int { try base.label(at: index) }
}
