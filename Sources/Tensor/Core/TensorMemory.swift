/// The memory behind tensors: how much is in use, its peak, and how much freed memory is kept
/// for reuse (PyTorch's `torch.cuda.memory_allocated` / `max_memory_allocated` /
/// `memory_reserved`, for Fathom's CPU buffers).
///
/// ```swift
/// TensorMemory.resetPeak()
/// let loss = crossEntropy(logits: model(images), labels: labels)
/// loss.backward()
/// print(TensorMemory.statistics.peakAllocatedBytes >> 20, "MiB at the step's peak")
/// ```
public enum TensorMemory {
    /// A snapshot of the counters.
    public struct Statistics: Sendable, Equatable {
        /// Bytes of tensor buffers alive now.
        public let allocatedBytes: Int
        /// The most bytes alive at once since the process started or ``TensorMemory/resetPeak()``.
        public let peakAllocatedBytes: Int
        /// Bytes of freed buffers kept for reuse: resident, but owned by no tensor.
        public let cachedBytes: Int
    }

    /// The counters now (all threads together).
    public static var statistics: Statistics {
        let (allocated, peak, cached) = BufferPool.statistics()
        return Statistics(allocatedBytes: allocated, peakAllocatedBytes: peak, cachedBytes: cached)
    }

    /// Starts a new peak at the bytes allocated now.
    public static func resetPeak() { BufferPool.resetPeakStatistics() }

    /// How much freed memory is kept for reuse: live plus cached bytes stay within this
    /// multiple of the highest live bytes so far (default 1.1, at least 1).
    ///
    /// Freed blocks are split and merged to serve any later size, so a small margin keeps a
    /// repeating workload from mapping fresh pages at all; past it, the blocks freed longest
    /// ago give their pages back and fault in again (zeroed) when next used. Raise it for speed
    /// on workloads whose buffer sizes change a lot; lower it (to 1) for the least memory.
    public static var cacheLimitFactor: Double {
        get { BufferPool.cacheLimitFactor }
        set { BufferPool.cacheLimitFactor = newValue }
    }

    /// Returns every cached buffer to the system (a long-lived server after a burst of work,
    /// or before measuring resident memory).
    public static func releaseCachedBuffers() { BufferPool.drain() }
}
