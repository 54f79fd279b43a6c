import Tensor

/// Datasets one after another (PyTorch's `ConcatDataset`): index `i` of the whole is an
/// index into the first part that reaches it.
public struct ConcatDataset: Dataset {
    /// The parts, in order.
    public let parts: [any Dataset]
    /// `offsets[k]` is the index of the first sample of `parts[k]`; the last entry is the total.
    private let offsets: [Int]

    /// The concatenation of `parts`.
    public init(_ parts: [any Dataset]) {
        self.parts = parts
        var offsets = [0]
        for part in parts { offsets.append(offsets.last! + part.count) }
        self.offsets = offsets
    }

    /// The total number of samples.
    public var count: Int { offsets.last! }

    /// The sample of the part holding `index`.
    public func sample(at index: Int) throws -> Sample {
        let (part, local) = locate(index)
        return try parts[part].sample(at: local)
    }

    /// The sample of the part holding `index`, augmented from `generator` if the part is.
    public func sample(at index: Int, generator: inout RandomGenerator) throws -> Sample {
        let (part, local) = locate(index)
        return try parts[part].sample(at: local, generator: &generator)
    }

    /// The label from the part holding `index`.
    public func label(at index: Int) throws -> Int {
        let (part, local) = locate(index)
        return try parts[part].label(at: local)
    }

    /// The part and the index within it (binary search over the offsets).
    private func locate(_ index: Int) -> (part: Int, index: Int) {
        checkIndex(index, "ConcatDataset")
        var low = 0, high = parts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offsets[middle] <= index { low = middle } else { high = middle - 1 }
        }
        return (low, index - offsets[low])
    }
}
