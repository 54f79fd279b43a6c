import Tensor

/// The samples of another dataset at chosen indices, in that order (PyTorch's `Subset`):
/// the training or validation side of a split.
public struct Subset<Base: Dataset>: Dataset {
    /// The underlying dataset.
    public let base: Base
    /// The base indices, one per sample of the subset.
    public let indices: [Int]

    /// The samples of `base` at `indices`.
    public init(_ base: Base, indices: [Int]) {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < base.count },
                     "Subset: indices must be in 0..<\(base.count)")
        (self.base, self.indices) = (base, indices)
    }

    /// The number of chosen indices.
    public var count: Int { indices.count }

    /// The base sample at `indices[index]`.
    public func sample(at index: Int) throws -> Sample {
        checkIndex(index, "Subset")
        return try base.sample(at: indices[index])
    }

    /// The base sample at `indices[index]`, augmented from `generator` if the base is.
    public func sample(at index: Int, generator: inout RandomGenerator) throws -> Sample {
        checkIndex(index, "Subset")
        return try base.sample(at: indices[index], generator: &generator)
    }

    /// The base label at `indices[index]`.
    public func label(at index: Int) throws -> Int {
        checkIndex(index, "Subset")
        return try base.label(at: indices[index])
    }
}
