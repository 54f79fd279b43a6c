import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Work splitting across the machine's cores for the hot loops.
public enum Parallel {
    /// The number of worker chunks used by ``forEachChunk(count:minimumChunk:_:)``.
    public static let coreCount: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Calls `body` with disjoint ranges that together cover `0..<count`.
    ///
    /// Small workloads run inline: dispatching threads costs microseconds, so work is only
    /// split when each chunk holds at least `minimumChunk` items.
    @inlinable
    public static func forEachChunk(count: Int, minimumChunk: Int = 32_768, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(coreCount, count / max(minimumChunk, 1))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        let step = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            // The chunks are disjoint and `concurrentPerform` returns only when all are done,
            // so handing the non-Sendable body to the workers is safe.
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = chunk * step
                let end = min(start + step, count)
                if start < end { work.value(start..<end) }
            }
        }
    }
}

/// Carries a value into a `@Sendable` closure where the caller guarantees, by construction,
/// that no data race is possible (disjoint writes, joined before return).
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value) { self.value = value }
}
