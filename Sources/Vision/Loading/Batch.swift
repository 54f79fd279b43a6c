import Tensor

/// A mini-batch: images stacked along a new first axis, with their labels and identifiers.
public struct Batch: Sendable {
    /// The images, `[N, C, H, W]`.
    public let images: Tensor
    /// The label of each image.
    public let labels: [Int]
    /// The identifier (file path...) of each image, `nil` where the dataset has none.
    public let identifiers: [String?]
    /// The dataset index of each image.
    public let indices: [Int]

    /// The number of samples.
    public var count: Int { labels.count }

    /// A batch from its parts.
    public init(images: Tensor, labels: [Int], identifiers: [String?], indices: [Int]) {
        precondition(images.rank >= 1 && images.shape[0] == labels.count && identifiers.count == labels.count
                     && indices.count == labels.count,
                     "Batch: images of shape \(images.shape) with \(labels.count) labels, \(identifiers.count) identifiers, \(indices.count) indices")
        (self.images, self.labels, self.identifiers, self.indices) = (images, labels, identifiers, indices)
    }

    /// Stacks samples whose images all have one shape.
    ///
    /// - Throws: ``DataLoaderError/inconsistentShapes(expected:found:identifier:)`` naming the
    ///   first sample whose shape differs from the first one's.
    public init(samples: [Sample], indices: [Int]) throws(DataLoaderError) {
        precondition(!samples.isEmpty && samples.count == indices.count,
                     "Batch(samples:indices:): \(samples.count) samples and \(indices.count) indices")
        let shape = samples[0].image.shape
        for sample in samples where sample.image.shape != shape {
            throw .inconsistentShapes(expected: shape, found: sample.image.shape, identifier: sample.identifier)
        }
        let stride = samples[0].image.scalarCount
        let images = Tensor.nonDifferentiable(shape: [samples.count] + shape) { out in
            for (k, sample) in samples.enumerated() {
                sample.image.withUnsafeBufferPointer { image in
                    if let source = image.baseAddress { (out.baseAddress! + k * stride).update(from: source, count: stride) }
                }
            }
        }
        self.init(images: images, labels: samples.map(\.label), identifiers: samples.map(\.identifier), indices: indices)
    }
}

/// Why a data loader could not produce a batch (errors of the dataset itself, such as a
/// file that does not decode, are passed on unchanged).
public enum DataLoaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Samples of one batch have images of different shapes; resize them in the transform.
    case inconsistentShapes(expected: [Int], found: [Int], identifier: String?)

    /// A one-line explanation naming the sample.
    public var description: String {
        switch self {
        case .inconsistentShapes(let expected, let found, let identifier):
            "cannot stack images of shapes \(expected) and \(found) (sample \(identifier ?? "without identifier")) into one batch; add a Resize or CenterCrop to the transform"
        }
    }
}
