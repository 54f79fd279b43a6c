/// The scratch memory of the rank-order all-reduce, kept between calls: a training step
/// reduces the same gradient bucket every time, and fresh buffers of its size would be
/// allocated and page-faulted again on every step.
///
/// Not thread-safe; collectives are called from one thread (Open MPI is initialized with
/// `MPI_THREAD_FUNNELED`).
final class ReductionWorkspace: @unchecked Sendable {
    /// A buffer of at least `count` floats for the values sent (when padding is needed).
    private(set) var send: [Float] = []
    /// `size` slices received from every rank.
    private(set) var received: [Float] = []
    /// This rank's summed slice.
    private(set) var summed: [Float] = []

    /// Makes every buffer large enough.
    func reserve(send sendCount: Int, received receivedCount: Int, summed summedCount: Int) {
        if send.count < sendCount { send = [Float](repeating: 0, count: sendCount) }
        if received.count < receivedCount { received = [Float](repeating: 0, count: receivedCount) }
        if summed.count < summedCount { summed = [Float](repeating: 0, count: summedCount) }
    }

    /// Calls `body` with the three buffers.
    func withBuffers<R>(_ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>,
                                 UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try send.withUnsafeMutableBufferPointer { send in
            try received.withUnsafeMutableBufferPointer { received in
                try summed.withUnsafeMutableBufferPointer { summed in try body(send, received, summed) }
            }
        }
    }
}
