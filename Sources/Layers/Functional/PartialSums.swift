import Foundation
import Tensor

/// Per-chunk partial sums merged into one total: how the parallel backward passes accumulate
/// weight gradients over images without sharing a buffer between threads.
///
/// Each worker fills a private buffer; ``total(shape:)`` adds them up across the cores in the
/// order of their chunks, so the result does not depend on which thread finished first. The
/// first partial becomes the total: the others are added into it.
final class PartialSums: @unchecked Sendable {
    private let count: Int
    private let lock = NSLock()
    // Guarded by `lock`: each chunk's position and buffer.
    private var partials: [(index: Int, storage: TensorStorage)] = []

    /// Sums of `count` scalars; with `count == 0` nothing is accumulated.
    init(count: Int) {
        self.count = count
    }

    /// Calls `body` with a private buffer (or `nil` when `count == 0`) and keeps it for the total.
    ///
    /// - Parameters:
    ///   - index: the chunk's position among all chunks (its first image), which fixes the
    ///     order of the final sum.
    ///   - zeroed: whether the buffer starts at zero; pass `false` when `body` writes every
    ///     element before adding to it (a first GEMM with `beta = 0`), which saves a pass.
    func accumulate(index: Int, zeroed: Bool = true, _ body: (UnsafeMutablePointer<Float>?) -> Void) {
        guard count > 0 else { return body(nil) }
        let storage = TensorStorage(uninitializedCount: count)
        if zeroed { storage.base.initialize(repeating: 0, count: count) }
        body(storage.base)
        lock.withLock { partials.append((index, storage)) }
    }

    /// The sum of the partials as a tensor of the given shape (zeros when there are none).
    func total(shape: [Int]) -> Tensor {
        let parts = lock.withLock { partials.sorted { $0.index < $1.index }.map(\.storage) }
        guard let first = parts.first else { return Tensor.zeros(shape) }
        // The first partial becomes the total: no third buffer of the weight's size (16 MiB for
        // a 512-channel Winograd layer, at the very start of the backward pass, its peak).
        forEachChunk(count: count, costPerItem: parts.count) { range in
            let target = first.base + range.lowerBound
            for part in parts.dropFirst() {
                let source = part.base + range.lowerBound
                for i in 0..<range.count { target[i] += source[i] }
            }
        }
        return Tensor(shape: shape, storage: first)
    }
}
