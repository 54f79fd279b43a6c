import Tensor

/// One example of a dataset: an image, its class, and where it came from.
public struct Sample: Sendable {
    /// The image as a CHW Float32 tensor (values in 0...1 as decoded, before any normalization).
    public var image: Tensor
    /// The class index.
    public var label: Int
    /// The file path or another identifier of the example, for error messages and
    /// per-example results; `nil` when there is none.
    public var identifier: String?

    /// A sample from its parts.
    public init(image: Tensor, label: Int, identifier: String? = nil) {
        (self.image, self.label, self.identifier) = (image, label, identifier)
    }
}

/// A finite, indexable collection of labelled images (PyTorch's map-style `Dataset`).
///
/// Datasets load lazily: `sample(at:)` reads and decodes one example, and may be called from
/// several threads at once (hence `Sendable`). Errors reading the outside world are thrown
/// and name the file; an index out of range is a programmer error.
public protocol Dataset: Sendable {
    /// The number of samples.
    var count: Int { get }

    /// The sample at `index` (in `0..<count`).
    func sample(at index: Int) throws -> Sample

    /// The sample at `index`, with random augmentation drawn from `generator` for datasets
    /// that have any (see ``TransformedDataset``). The default ignores the generator.
    func sample(at index: Int, generator: inout RandomGenerator) throws -> Sample

    /// The label of the sample at `index`. The default decodes the sample; datasets that
    /// know their labels answer without reading the image.
    func label(at index: Int) throws -> Int
}

extension Dataset {
    /// The sample itself: a dataset without augmentation has no use for randomness.
    public func sample(at index: Int, generator: inout RandomGenerator) throws -> Sample {
        try sample(at: index)
    }

    /// The label of the decoded sample.
    public func label(at index: Int) throws -> Int {
        try sample(at: index).label
    }

    /// The labels of every sample, in order (for splits and class-balanced sampling).
    public func allLabels() throws -> [Int] {
        try (0..<count).map { try label(at: $0) }
    }

    /// The samples at `indices`, in that order; see ``Subset``.
    public func subset(_ indices: [Int]) -> Subset<Self> { Subset(self, indices: indices) }

    /// This dataset with `transform` applied to every image; see ``TransformedDataset``.
    public func transformed(by transform: any Transform, seed: UInt64 = 0) -> TransformedDataset<Self> {
        TransformedDataset(self, transform: transform, seed: seed)
    }

    /// Stops with a message naming the dataset when `index` is outside `0..<count`.
    func checkIndex(_ index: Int, _ name: String) {
        precondition(index >= 0 && index < count, "\(name).sample(at:): index \(index) is out of range 0..<\(count)")
    }
}
