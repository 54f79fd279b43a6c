// What the gradient-flow check carries: the mark on a tensor's storage and, for an untracked
// tensor, where it came from (see GradientFlowCheck).

extension GradientFlowCheck {
    /// The check's state of one storage.
    enum StorageMark {
        /// No tensor wraps the storage yet.
        case fresh
        /// A tensor wraps it and its contents carry no unrecorded dependence on differentiable data.
        case wrapped
        /// Its contents were computed from differentiable data by code that recorded no node.
        case untracked(UntrackedOrigin)

        /// Forgets an ``untracked(_:)`` mark.
        mutating func clear() {
            if case .untracked = self { self = .wrapped }
        }
    }

    /// A read of the scalars of a tensor that requires gradients, while the tape records.
    struct DifferentiableRead: Sendable {
        /// The tensor's shape.
        let shape: [Int]
        /// The op that produced the tensor (`leaf` for a tensor that requires gradients).
        let producer: String
        /// Where the read happened.
        let file: StaticString
        let line: UInt
    }

    /// Where an untracked tensor was built, and the read that made it untracked.
    final class UntrackedOrigin: Sendable {
        /// The shape of the tensor the raw constructor built.
        let shape: [Int]
        /// The raw constructor's call site.
        let file: StaticString
        let line: UInt
        /// The read of differentiable data it was built from.
        let read: DifferentiableRead

        init(shape: [Int], file: StaticString, line: UInt, read: DifferentiableRead) {
            (self.shape, self.file, self.line, self.read) = (shape, file, line, read)
        }

        /// One sentence: what was read, what was built from it, and that nothing recorded it.
        var explanation: String {
            "a tensor of shape \(shape) built by a raw constructor at \(file):\(line) after a read of the scalars of a tensor "
                + "of shape \(read.shape) that requires gradients (output of '\(read.producer)', read at \(read.file):\(read.line)), "
                + "and no op recorded a tape node for it."
        }

        /// How to fix it, for the end of every message.
        static let remedy = "If the op is differentiable, record it: Tensor.record(_:result:inputs:rule:) with a rule that maps "
            + "the output's gradient to its inputs'. If no gradient should flow, say so: read x.detached() instead of x, or "
            + "build the result with Tensor.nonDifferentiable(shape:initializingWith:) or inside Tensor.nonDifferentiable { }."
    }

    /// An input that a recorded op received without gradient history although it was computed
    /// from differentiable data.
    struct UntrackedInput: Sendable {
        /// Its position among the op's inputs.
        let index: Int
        /// Its shape.
        let shape: [Int]
        /// Where it was built.
        let origin: UntrackedOrigin

        /// The input, then ``UntrackedOrigin/explanation``.
        var explanation: String { "that input (shape \(shape)) is " + origin.explanation }
    }
}
