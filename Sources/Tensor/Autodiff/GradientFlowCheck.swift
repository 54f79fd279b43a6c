import CKernels
import Foundation

/// The check that no differentiable input passes through an op that recorded nothing.
///
/// An op joins the tape by calling ``Tensor/record(_:result:inputs:rule:)``. One that reads an
/// input through ``Tensor/withUnsafeBufferPointer(file:line:_:)`` and builds its result with a
/// raw constructor (``Tensor/init(shape:initializingWith:file:line:)``,
/// ``Tensor/init(shape:scalars:file:line:)``, a first ``Tensor/init(shape:storage:file:line:)``)
/// but forgets to record returns a tensor without gradient history: the gradient stops there,
/// and nothing else says so. With the check on:
///
/// 1. reading the scalars of a tensor that requires gradients, while the tape records, is
///    noted on the calling thread;
/// 2. a tensor that a raw constructor builds inside such a read's closure, or next after it
///    (before any op records), is marked *untracked*: computed from differentiable data
///    without a tape node. ``Tensor/record(_:result:inputs:rule:)`` clears the mark of its
///    result; an op that records nothing because none of its inputs requires gradients passes
///    an untracked input's mark on to its result;
/// 3. an op that records a node with an untracked input notes it on the node, and
///    ``Tensor/backward(_:)`` and ``Tensor/gradients(withRespectTo:seed:)`` stop, before
///    computing anything, when the graph they walk holds such a node (or when the tensor they
///    start from is itself untracked), naming the op, the input, the shapes and the source
///    lines of the read and of the raw constructor.
///
/// Only a cut that the gradient being computed would have crossed stops the process. Cutting
/// on purpose is said explicitly: read `x.detached()` instead of `x`, or build the result inside
/// ``Tensor/nonDifferentiable(_:)`` or with ``Tensor/nonDifferentiable(shape:initializingWith:)``
/// (comparisons, `argmax`, masks, metrics, random draws, data loading). Constants never carry
/// the mark: `Tensor(_: Float)`, ``Tensor/init(shape:repeating:)`` and the creation
/// functions (`zeros`, `arange`, …). Neither do reads through ``Tensor/scalars`` or
/// ``Tensor/scalar``, reads inside a parallel chunk, or anything under ``withoutGradients(_:)``.
///
/// What it does not see: a result built later than the next raw constructor after the read
/// (the check keeps nothing longer, so that a read for another purpose, such as saving a model,
/// cannot mark an unrelated tensor), values that left through ``Tensor/scalars``, and
/// in-place writes into an existing tensor.
///
/// The check runs in debug builds, and in optimized builds when `FATHOM_CHECK_GRADIENT_FLOW=1`
/// is in the environment (CI's release test run sets it); `FATHOM_CHECK_GRADIENT_FLOW=0`
/// turns it off in debug builds. Off, it costs a load and a branch per raw read, raw
/// constructor and recorded op: 0.3 % more instructions (callgrind) on a loop of ops on tiny
/// tensors, where per-op overhead is everything; less where kernels do real work.
public enum GradientFlowCheck {
    /// Whether the check runs (see the type's documentation for the default).
    ///
    /// Set it, if at all, at the start of a process before any tensor exists: turning it on
    /// while ops run does not see the reads that happened before.
    @inlinable public static var isEnabled: Bool {
        get { fathom_gradient_flow_enabled() != 0 }
        set { fathom_gradient_flow_set_enabled(newValue ? 1 : 0) }
    }

    /// Guards the marks of all storages (reads and writes happen only with the check on).
    static let lock = NSLock()

    /// Notes the start of a read of `tensor`'s scalars at `file:line` (``isEnabled`` is known
    /// true); returns whether it counts, that is whether ``endRead()`` must follow: the tensor
    /// requires gradients and the tape records.
    @usableFromInline
    static func beginRead(of tensor: Tensor, file: StaticString, line: UInt) -> Bool {
        guard let node = tensor.gradNode, GradientMode.isEnabled, !Parallel.isInsideChunk else { return false }
        let state = ThreadState.current
        guard state.nonDifferentiableDepth == 0 else { return false }
        state.begin(DifferentiableRead(shape: tensor.shape, producer: node.op, file: file, line: line))
        return true
    }

    /// Notes the end of the innermost read that ``beginRead(of:file:line:)`` counted.
    @usableFromInline
    static func endRead() { ThreadState.current.end() }

    /// Marks `storage` untracked when this is its first tensor and it is built from a read of
    /// differentiable data (see ``ThreadState``).
    static func noteConstruction(of storage: TensorStorage, shape: [Int], file: StaticString, line: UInt) {
        let state = ThreadState.current
        let read = state.takeRead()
        let untracked = read.flatMap { read in
            GradientMode.isEnabled && state.nonDifferentiableDepth == 0
                ? UntrackedOrigin(shape: shape, file: file, line: line, read: read) : nil
        }
        lock.withLock {
            guard case .fresh = storage.flowMark else { return }
            storage.flowMark = untracked.map { .untracked($0) } ?? .wrapped
        }
    }

    /// Clears the mark of `storage`: a recorded result, or a ``Parameter``'s new value (a leaf
    /// or, frozen, a constant by declaration, whatever its values were computed from).
    static func clearMark(of storage: TensorStorage) {
        lock.withLock { storage.flowMark.clear() }
    }

    /// Gives a copy of `source` (copy-on-write) the mark of its source.
    static func copyMark(from source: TensorStorage, to copy: TensorStorage) {
        lock.withLock {
            copy.flowMark = source.flowMark
            if case .fresh = copy.flowMark { copy.flowMark = .wrapped }
        }
    }

    /// The mark of `tensor`'s storage when it is untracked and has no tape node.
    static func untrackedOrigin(of tensor: Tensor) -> UntrackedOrigin? {
        guard tensor.gradNode == nil else { return nil }
        return lock.withLock {
            if case let .untracked(origin) = tensor.storage.flowMark { return origin }
            return nil
        }
    }

    /// Called by `record` when it recorded `output`'s node: the result is tracked now, and the
    /// node keeps the untracked inputs for ``verify(_:op:)``.
    static func noteRecorded(_ output: Tensor, untrackedInputs: [UntrackedInput]) {
        if !untrackedInputs.isEmpty { output.gradNode?.untrackedInputs = untrackedInputs }
        clearMark(of: output.storage)
    }

    /// Called by `record` before it records: ends the op (its reads are done with) and
    /// returns the untracked inputs, or `nil` while the tape is off.
    static func untrackedInputs(of inputs: [Tensor]) -> [UntrackedInput]? {
        ThreadState.current.forgetFinishedReads()
        guard GradientMode.isEnabled else { return nil }
        return inputs.enumerated().compactMap { index, input in
            untrackedOrigin(of: input).map { UntrackedInput(index: index, shape: input.shape, origin: $0) }
        }
    }

    /// Called by `record` when it records no node: the result of an op none of whose inputs
    /// requires gradients is untracked exactly when one of its inputs is.
    static func passOn(_ untracked: [UntrackedInput], to result: Tensor) {
        lock.withLock {
            if let first = untracked.first { result.storage.flowMark = .untracked(first.origin) } else { result.storage.flowMark.clear() }
        }
    }

    /// Called by `backward()` and `gradients(withRespectTo:)` before they walk `order` from
    /// `root`: stops at the first node that recorded an untracked input.
    static func verify(_ order: [GradNode], op: String) {
        ThreadState.current.forgetFinishedReads()
        for node in order {
            guard let input = node.untrackedInputs?.first else { continue }
            fatalError("\(op): the gradient would stop at input \(input.index) of '\(node.op)': "
                + input.explanation + " " + UntrackedOrigin.remedy)
        }
    }

    /// Called by `backward()` and `gradients(withRespectTo:)` on a tensor without a tape node:
    /// stops with the reason when the tensor is untracked.
    static func explainMissingGraph(of tensor: Tensor, op: String) {
        guard let origin = untrackedOrigin(of: tensor) else { return }
        fatalError("\(op): the tensor of shape \(tensor.shape) has no gradient history: "
            + origin.explanation + " " + UntrackedOrigin.remedy)
    }
}
