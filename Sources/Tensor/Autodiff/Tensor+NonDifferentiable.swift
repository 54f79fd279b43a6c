extension Tensor {
    /// Runs `body` as a non-differentiable computation: tensors it builds are constants, whatever
    /// it reads.
    ///
    /// Ops that give no gradient on purpose — comparisons, `argmax`, masks, metrics, random
    /// draws, data loading — say so here, so that ``GradientFlowCheck`` tells them from an op
    /// that forgot to ``record(_:result:inputs:rule:)``. Nothing else changes: ops called inside
    /// still record when their inputs require gradients (use ``withoutGradients(_:)`` to stop
    /// that too).
    ///
    /// ```swift
    /// let predicted = Tensor.nonDifferentiable { logits.argmax(alongAxis: 1) }
    /// ```
    @inlinable
    public static func nonDifferentiable<R>(_ body: () throws -> R) rethrows -> R {
        guard GradientFlowCheck.isEnabled else { return try body() }
        GradientFlowCheck.enterNonDifferentiable()
        defer { GradientFlowCheck.leaveNonDifferentiable() }
        return try body()
    }

    /// A constant tensor whose scalars are written by `initializer`, which must set every
    /// element: ``init(shape:initializingWith:file:line:)`` for an op that gives no gradient on
    /// purpose (see ``nonDifferentiable(_:)``).
    @inlinable
    public static func nonDifferentiable(shape: [Int],
                                         initializingWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void)
        rethrows -> Tensor {
        try nonDifferentiable { try Tensor(shape: shape, initializingWith: initializer) }
    }
}

extension GradientFlowCheck {
    /// Opens a ``Tensor/nonDifferentiable(_:)`` scope on the calling thread.
    @usableFromInline
    static func enterNonDifferentiable() { ThreadState.current.nonDifferentiableDepth += 1 }

    /// Closes the innermost ``Tensor/nonDifferentiable(_:)`` scope of the calling thread.
    @usableFromInline
    static func leaveNonDifferentiable() { ThreadState.current.nonDifferentiableDepth -= 1 }
}
