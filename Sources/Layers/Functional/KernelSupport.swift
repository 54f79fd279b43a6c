import Tensor

// Small helpers shared by the kernels of this folder: raw access to optional tensors (bias,
// batch-norm affine parameters, gradients that are only sometimes needed) without nesting
// closures by hand at every call site.

extension Optional where Wrapped == Tensor {
    /// Calls `body` with the scalars of the wrapped tensor, or with `nil`.
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
        guard let tensor = self else { return try body(nil) }
        return try tensor.withUnsafeBufferPointer { try body($0.baseAddress) }
    }

    /// Calls `body` with writable scalars of the wrapped tensor, or with `nil`.
    mutating func withOptionalMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>?) throws -> R) rethrows -> R {
        guard var tensor = self else { return try body(nil) }
        self = nil  // drop our reference so the write does not copy the storage
        defer { self = tensor }
        return try tensor.withUnsafeMutableBufferPointer { try body($0.baseAddress) }
    }
}

/// Splits `count` work items over the cores when each item costs about `costPerItem` scalar
/// operations, so that small problems stay on the calling thread.
func forEachChunk(count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
    // About 64k operations per chunk pays for a thread hand-off several times over.
    let minimum = Swift.max(1, 65_536 / Swift.max(costPerItem, 1))
    Parallel.forEachChunk(count: count, minimumChunk: minimum, body)
}

/// A scratch buffer of `count` scalars for the duration of `body` (uninitialized).
///
/// Taken from tensor storage so that large im2col buffers are pooled across steps and are
/// poisoned with NaN under `FATHOM_POISON_UNINITIALIZED=1` like every other buffer.
func withScratch<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let storage = TensorStorage(uninitializedCount: count)
    return try withExtendedLifetime(storage) { try body(storage.base) }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Sets images `images` of a batch whose images are `scalarsPerImage` apart to zero.
    func zeroImages(_ images: Range<Int>, of scalarsPerImage: Int) {
        (self + images.lowerBound * scalarsPerImage).update(repeating: 0, count: images.count * scalarsPerImage)
    }
}
