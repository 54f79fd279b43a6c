/// A reference-counted, 64-byte-aligned buffer of `Float` scalars.
///
/// `Tensor` holds one of these and copies it before a write when it is shared, which gives
/// tensors value semantics without copying on every assignment (copy-on-write).
public final class TensorStorage: @unchecked Sendable {
    /// The number of scalars in the buffer.
    public let count: Int
    /// The first scalar. Valid for `count` elements while the storage is alive.
    public let base: UnsafeMutablePointer<Float>
    /// What ``GradientFlowCheck`` knows of the contents (guarded by its lock; untouched while it is off).
    var flowMark: GradientFlowCheck.StorageMark = .fresh

    /// Allocates uninitialized storage for `count` scalars.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "TensorStorage: negative count \(count)")
        self.count = count
        // Alignment of 64 bytes keeps every row start friendly to AVX-512 loads.
        let raw = BufferPool.allocate(bytes: max(count, 1) * MemoryLayout<Float>.stride)
        self.base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates storage with every scalar set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// A new storage holding a copy of this one's scalars.
    public func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.base.update(from: base, count: count)
        if GradientFlowCheck.isEnabled { GradientFlowCheck.copyMark(from: self, to: result) }
        return result
    }

    /// The scalars as a buffer pointer.
    @inlinable public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }

    deinit { BufferPool.release(UnsafeMutableRawPointer(base), bytes: max(count, 1) * MemoryLayout<Float>.stride) }
}
