import Dispatch
import Foundation

/// Runs CPU-bound work (decoding, forward passes, Grad-CAM) on its own threads, at most
/// `concurrency` jobs at a time, with at most `queueLimit` jobs admitted (running or waiting).
///
/// Why not run the work in the request's task: Swift's cooperative pool has one thread per core
/// (two here); a forward pass on it would stall every other request's body reads and timers.
/// Waiters suspend (no thread is blocked) in FIFO order; past the queue limit the caller is
/// told at once (`nil`), so the server answers 503 instead of piling up bodies in memory.
final class InferenceLimiter: @unchecked Sendable {
    /// Jobs allowed to run at once.
    let concurrency: Int
    /// Jobs allowed to be admitted (running plus waiting).
    let queueLimit: Int

    private let queue = DispatchQueue(label: "fathom.serve.inference", qos: .userInitiated, attributes: .concurrent)
    private let lock = NSLock()
    private var running = 0, queued = 0  // queued: admitted, not yet running
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var waitingHead = 0

    /// A limiter for `concurrency` parallel jobs and `queueLimit` admitted ones.
    init(concurrency: Int, queueLimit: Int) {
        precondition(concurrency > 0 && queueLimit >= concurrency,
                     "InferenceLimiter: need 0 < concurrency <= queueLimit, got \(concurrency), \(queueLimit)")
        self.concurrency = concurrency
        self.queueLimit = queueLimit
    }

    /// Jobs admitted now (running plus waiting).
    var admitted: Int { lock.withLock { running + queued } }

    /// Runs `work` on the limiter's threads when a slot is free; `nil` if the queue is full.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        guard await acquire() else { return nil }
        defer { release() }
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// Takes a slot, waiting for one if all are busy; `false` when the queue is full.
    private func acquire() async -> Bool {
        enum Admission { case run, wait, refuse }
        let admission: Admission = lock.withLock {
            if running < concurrency { running += 1; return .run }
            guard running + queued < queueLimit else { return .refuse }
            queued += 1
            return .wait
        }
        switch admission {
        case .run: return true
        case .refuse: return false
        case .wait:
            await withCheckedContinuation { continuation in
                let startNow: Bool = lock.withLock {
                    // A slot may have been freed between the check and here.
                    if running < concurrency { running += 1; queued -= 1; return true }
                    waiting.append(continuation)
                    return false
                }
                if startNow { continuation.resume() }
            }
            return true
        }
    }

    /// Frees a slot, handing it straight to the longest waiter if there is one.
    private func release() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            guard waitingHead < waiting.count else { running -= 1; return nil }
            let continuation = waiting[waitingHead]
            waitingHead += 1
            queued -= 1
            if waitingHead == waiting.count || (waitingHead > 64 && waitingHead * 2 > waiting.count) {
                waiting.removeFirst(waitingHead)  // drop the consumed prefix now and then
                waitingHead = 0
            }
            return continuation  // the slot passes to it: `running` is unchanged
        }
        next?.resume()
    }
}
