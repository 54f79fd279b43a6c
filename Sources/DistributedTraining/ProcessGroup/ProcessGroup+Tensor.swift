import Tensor

/// The collectives over tensors (their values; the shape must be the same on every rank).
extension ProcessGroup {
    /// Replaces `tensor` by its sum or mean over the ranks (see ``allReduce(_:_:order:)``).
    public func allReduce(_ tensor: inout Tensor, _ operation: ReduceOperation, order: ReductionOrder = .rankOrder) throws {
        try tensor.withUnsafeMutableBufferPointer { try allReduce($0, operation, order: order) }
    }

    /// Replaces `tensor` by `root`'s.
    public func broadcast(_ tensor: inout Tensor, from root: Int = 0) throws {
        try tensor.withUnsafeMutableBufferPointer { try broadcast(UnsafeMutableRawBufferPointer($0), from: root) }
    }
}
