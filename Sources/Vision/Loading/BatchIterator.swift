import Foundation  // Thread, NSCondition

/// The batches of one epoch, in order, prepared ahead by background threads.
///
/// `next()` blocks until the next batch is ready and throws the error of a batch that could
/// not be prepared; after an error or the last batch it returns `nil`. Copies share one
/// pipeline; when the last copy goes away, the workers stop.
public struct BatchIterator {
    /// Stops the pipeline when the last copy of the iterator is released.
    private final class Handle {
        let pipeline: BatchPipeline?
        init(_ pipeline: BatchPipeline?) { self.pipeline = pipeline }
        deinit { pipeline?.cancel() }
    }

    private let handle: Handle
    private let makeBatch: @Sendable (Int) throws -> Batch
    /// The number of batches in the epoch.
    public let batchCount: Int
    private var nextBatch = 0

    init(batchCount: Int, workerCount: Int, prefetch: Int, makeBatch: @escaping @Sendable (Int) throws -> Batch) {
        self.batchCount = batchCount
        self.makeBatch = makeBatch
        if workerCount > 0 && batchCount > 0 {
            let pipeline = BatchPipeline(batchCount: batchCount, prefetch: prefetch, makeBatch: makeBatch)
            pipeline.start(workers: min(workerCount, batchCount))
            handle = Handle(pipeline)
        } else {
            handle = Handle(nil)
        }
    }

    /// The next batch, `nil` at the end of the epoch.
    ///
    /// - Throws: the dataset's error (e.g. `ImageCodecError` naming the file) or a
    ///   ``DataLoaderError``; the epoch then ends.
    public mutating func next() throws -> Batch? {
        guard nextBatch < batchCount else { return nil }
        let index = nextBatch
        nextBatch += 1
        let result = handle.pipeline.map { $0.take(index) } ?? Result { try makeBatch(index) }
        do {
            return try result.get()
        } catch {
            nextBatch = batchCount
            handle.pipeline?.cancel()
            throw error
        }
    }
}

/// Worker threads that prepare batches in any order and hand them over in order, never
/// more than `prefetch` ahead of the consumer.
final class BatchPipeline: @unchecked Sendable {
    // Every mutable property is guarded by `condition`.
    private let condition = NSCondition()
    private let batchCount: Int
    private let prefetch: Int
    private let makeBatch: @Sendable (Int) throws -> Batch
    private var nextToClaim = 0
    private var consumed = 0
    private var finished: [Int: Result<Batch, any Error>] = [:]
    private var cancelled = false

    init(batchCount: Int, prefetch: Int, makeBatch: @escaping @Sendable (Int) throws -> Batch) {
        (self.batchCount, self.prefetch, self.makeBatch) = (batchCount, prefetch, makeBatch)
    }

    /// Starts `workers` threads; each exits when the epoch is done or cancelled.
    func start(workers: Int) {
        for _ in 0..<workers {
            let thread = Thread { [self] in work() }
            thread.name = "Fathom.DataLoader"
            thread.start()
        }
    }

    /// Claims the lowest unclaimed batch within the prefetch window, prepares it, repeats.
    private func work() {
        while true {
            condition.lock()
            while !cancelled && nextToClaim < batchCount && nextToClaim >= consumed + prefetch { condition.wait() }
            if cancelled || nextToClaim >= batchCount {
                condition.unlock()
                return
            }
            let batch = nextToClaim
            nextToClaim += 1
            condition.unlock()

            let result = Result { try makeBatch(batch) }

            condition.lock()
            if !cancelled { finished[batch] = result }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits for batch `index` and removes it, opening the window for one more.
    func take(_ index: Int) -> Result<Batch, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while finished[index] == nil { condition.wait() }
        let result = finished.removeValue(forKey: index)!
        consumed = index + 1
        condition.broadcast()
        return result
    }

    /// Makes idle workers exit and busy ones stop after their current batch.
    func cancel() {
        condition.lock()
        cancelled = true
        finished.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
