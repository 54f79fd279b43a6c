import Tensor

/// The order in which a ``DataLoader`` visits a dataset in one epoch.
public enum Sampler: Sendable, Hashable {
    /// Indices `0, 1, 2, ...` (evaluation).
    case sequential
    /// A fresh random permutation every epoch (training).
    case random
    /// `count` indices drawn with replacement, index `i` with probability proportional to
    /// `weights[i]` (PyTorch's `WeightedRandomSampler`).
    case weighted(weights: [Double], count: Int)

    /// Draws every class equally often on average: weights `1 / (samples of the class)`,
    /// `count` draws per epoch (default: one per sample).
    public static func classBalanced(labels: [Int], count: Int? = nil) -> Sampler {
        var classSizes: [Int: Int] = [:]
        for label in labels { classSizes[label, default: 0] += 1 }
        return .weighted(weights: labels.map { 1 / Double(classSizes[$0]!) }, count: count ?? labels.count)
    }

    /// The indices of one epoch over a dataset of `datasetCount` samples.
    public func indices(datasetCount: Int, generator: inout RandomGenerator) -> [Int] {
        switch self {
        case .sequential:
            return Array(0..<datasetCount)
        case .random:
            return Tensor.permutation(datasetCount, generator: &generator)
        case .weighted(let weights, let count):
            precondition(weights.count == datasetCount,
                         "Sampler.weighted: \(weights.count) weights for a dataset of \(datasetCount) samples")
            var cumulative = [Double](repeating: 0, count: weights.count)
            var total = 0.0
            for (i, w) in weights.enumerated() {
                precondition(w >= 0 && w.isFinite, "Sampler.weighted: weight \(w) at index \(i) is not a finite non-negative number")
                total += w
                cumulative[i] = total
            }
            precondition(total > 0, "Sampler.weighted: the weights sum to zero")
            return (0..<count).map { _ in
                let u = generator.nextUnitDouble() * total
                // The first index whose cumulative weight exceeds u.
                var low = 0, high = cumulative.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    if cumulative[middle] > u { high = middle } else { low = middle + 1 }
                }
                return low
            }
        }
    }
}
