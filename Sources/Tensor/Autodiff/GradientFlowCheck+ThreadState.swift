#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GradientFlowCheck {
    /// What the check knows about the calling thread: the reads of differentiable data that a
    /// tensor built now would be computed from, and whether a ``Tensor/nonDifferentiable(_:)``
    /// scope is open.
    ///
    /// A tensor is built from a read when it is built inside the read's closure, or after it
    /// with nothing in between but other reads: the next raw constructor (the end of
    /// `Tensor(shape:) { out in x.withUnsafeBufferPointer { … } }`, or
    /// `Tensor(shape:scalars:)` from an array just read) takes the finished reads, and so does
    /// the next recorded op, its end. Nothing is kept longer, so a read for another purpose
    /// (saving a model, a metric) cannot mark an unrelated tensor much later. Per thread,
    /// because an op runs on one thread from its reads to its `record` (the workers of a
    /// parallel chunk are left out), while tests and requests run ops on many threads at once.
    final class ThreadState {
        /// Reads whose closure is running, innermost last.
        private var active: [DifferentiableRead] = []
        /// Reads that finished since the last raw constructor or recorded op, latest last, with
        /// the task that made each (`nil` outside tasks): tasks interleave on a pool thread, and
        /// a read of one must not mark the next tensor another builds (tests run in parallel
        /// tasks; one test's comparison of a gradient leaf once marked another's constant).
        private var finished: [(read: DifferentiableRead, task: Int?)] = []
        /// How many ``Tensor/nonDifferentiable(_:)`` scopes are open on this thread.
        var nonDifferentiableDepth = 0

        /// The calling thread's state, created on first use and freed with the thread.
        static var current: ThreadState {
            if let existing = pthread_getspecific(key) {
                return Unmanaged<ThreadState>.fromOpaque(existing).takeUnretainedValue()
            }
            let state = ThreadState()
            pthread_setspecific(key, Unmanaged.passRetained(state).toOpaque())
            return state
        }

        private static let key: pthread_key_t = {
            var key = pthread_key_t()
            let status = pthread_key_create(&key) { state in
                #if canImport(Glibc)
                guard let state else { return }
                #endif
                Unmanaged<ThreadState>.fromOpaque(state).release()
            }
            precondition(status == 0, "GradientFlowCheck: pthread_key_create failed with \(status)")
            return key
        }()

        /// A read's closure starts.
        func begin(_ read: DifferentiableRead) { active.append(read) }

        /// The innermost read's closure returned.
        func end() {
            if let read = active.popLast() { finished.append((read, Self.currentTask)) }
        }

        /// An identity of the running task, or `nil` outside tasks.
        private static var currentTask: Int? { withUnsafeCurrentTask { $0?.hashValue } }

        /// The read a tensor built now is computed from (the innermost running one, else the
        /// latest finished one); the finished reads are taken either way.
        func takeRead() -> DifferentiableRead? {
            defer { finished.removeAll() }
            if let read = active.last { return read }
            guard let last = finished.last, last.task == Self.currentTask else { return nil }
            return last.read
        }

        /// Forgets the finished reads (an op recorded, or a backward pass starts).
        func forgetFinishedReads() { finished.removeAll() }
    }
}
