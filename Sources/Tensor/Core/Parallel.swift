import CKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Work splitting across the machine's cores for the hot loops.
///
/// Every kernel splits its work here, matrix products included: OpenBLAS runs single-threaded
/// (see ``GEMM``) and large products are split like any other loop, so that two thread pools
/// never compete for the same cores. A split requested from inside a chunk runs inline
/// on that chunk's thread, so that kernels can split their own loops without knowing whether a
/// caller already split an outer one.
public enum Parallel {
    /// The number of worker chunks used by ``forEachChunk(count:minimumChunk:_:)``: the
    /// threads this process computes with.
    ///
    /// `FATHOM_THREADS` when set (a positive integer); otherwise the CPUs the process may run
    /// on. When `mpirun` starts several processes on the machine without binding them (all
    /// see every CPU, `--bind-to none`), each takes an equal share: the CPUs divided by
    /// `OMPI_COMM_WORLD_LOCAL_SIZE`. A process bound to fewer CPUs (`--bind-to core`, Open
    /// MPI's default for two processes, or `--map-by slot:PE=k`) uses those.
    public static let coreCount: Int = threadCount(
        override: getenv("FATHOM_THREADS").map { String(cString: $0) },
        localProcesses: getenv("OMPI_COMM_WORLD_LOCAL_SIZE").flatMap { Int(String(cString: $0)) },
        allowedCPUs: fathom_allowed_cpu_count(), onlineCPUs: sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// The rule behind ``coreCount``, from its inputs.
    public static func threadCount(override: String?, localProcesses: Int?, allowedCPUs: Int, onlineCPUs: Int) -> Int {
        if let override, let threads = Int(override), threads > 0 { return threads }
        let allowed = max(1, allowedCPUs)
        if allowed < onlineCPUs { return allowed }  // bound by the launcher or taskset
        return max(1, allowed / max(1, localProcesses ?? 1))
    }

    /// Calls `body` with disjoint ranges that together cover `0..<count`.
    ///
    /// Small workloads run inline: dispatching threads costs microseconds, so work is only
    /// split when each chunk holds at least `minimumChunk` items. Work requested while already
    /// inside a chunk (``isInsideChunk``) also runs inline: the cores are busy with the outer split.
    @inlinable
    public static func forEachChunk(count: Int, minimumChunk: Int = 32_768, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(coreCount, count / max(minimumChunk, 1))
        if chunks <= 1 || isInsideChunk {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            // The chunks are disjoint and `concurrentPerform` returns only when all are done,
            // so handing the non-Sendable body to the workers is safe.
            run(count: count, chunks: chunks, UncheckedSendable(body))
        }
    }

    /// Whether the calling thread is running a chunk of ``forEachChunk(count:minimumChunk:_:)``.
    public static var isInsideChunk: Bool { pthread_getspecific(chunkMarker) != nil }

    /// A thread-specific slot that is non-nil while the thread runs a chunk.
    @usableFromInline static let chunkMarker: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "Parallel: pthread_key_create failed with \(status)")
        return key
    }()

    /// Runs `chunks` near-equal ranges of `0..<count` on the cores, each marked as a chunk.
    @usableFromInline
    static func run(count: Int, chunks: Int, _ work: UncheckedSendable<(Range<Int>) -> Void>) {
        let step = (count + chunks - 1) / chunks
        let marker = chunkMarker
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * step
            let end = min(start + step, count)
            guard start < end else { return }
            // The calling thread runs one of the chunks too: restore what it had before.
            let previous = pthread_getspecific(marker)
            pthread_setspecific(marker, UnsafeRawPointer(bitPattern: 1))
            work.value(start..<end)
            pthread_setspecific(marker, previous)
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
