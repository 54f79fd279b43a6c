import Foundation
import Tensor

/// Per-chunk partial sums merged into one total: how the parallel backward passes accumulate
/// weight gradients over images without sharing a buffer between threads.
final class PartialSums: @unchecked Sendable {
    private let count: Int
    private let lock = NSLock()
    // Guarded by `lock`.
    private var sum: [Float]

    /// Sums of `count` scalars; with `count == 0` nothing is accumulated.
    init(count: Int) {
        self.count = count
        sum = [Float](repeating: 0, count: count)
    }

    /// Calls `body` with a private zeroed buffer (or `nil` when `count == 0`), then adds it
    /// into the total.
    func accumulate(_ body: (UnsafeMutablePointer<Float>?) -> Void) {
        guard count > 0 else { return body(nil) }
        withScratch(count: count) { partial in
            partial.initialize(repeating: 0, count: count)
            body(partial)
            lock.withLock {
                sum.withUnsafeMutableBufferPointer { total in
                    for i in 0..<count { total[i] += partial[i] }
                }
            }
        }
    }

    /// The total as a tensor of the given shape.
    func total(shape: [Int]) -> Tensor {
        lock.withLock { Tensor(shape: shape, scalars: sum) }
    }
}
