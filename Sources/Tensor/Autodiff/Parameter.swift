/// A trainable tensor with its gradient: a reference, so that a layer and an optimizer see
/// the same values without key-path plumbing.
///
/// Reading ``value`` inside a recording scope gives a tensor attached to this parameter's leaf
/// node; ``Tensor/backward(_:)`` accumulates into ``grad``. Optimizers write the values in place
/// through ``update(_:)``.
public final class Parameter: @unchecked Sendable {
    private var data: Tensor
    private let node: GradNode
    /// Whether the parameter is trained. A frozen parameter records nothing and optimizers
    /// skip it.
    public var requiresGradient: Bool

    /// A parameter holding `value`.
    public init(_ value: Tensor, requiresGradient: Bool = true) {
        self.data = value.detached()
        self.node = GradNode.leaf(shape: value.shape)
        if GradientFlowCheck.isEnabled { GradientFlowCheck.clearMark(of: data.storage) }
        self.requiresGradient = requiresGradient
    }

    /// The current values, attached to the tape when the parameter is trainable.
    ///
    /// Assigning replaces the values (the shape must stay the same) and keeps the gradient.
    public var value: Tensor {
        get {
            var t = data
            guard requiresGradient else { return t }
            t.gradNode = node
            Recomputation.current?.noteTrainableParameterRead()  // a checkpointed region needs a gradient
            return t
        }
        set {
            precondition(newValue.shape == data.shape,
                         "Parameter.value: new shape \(newValue.shape) differs from \(data.shape)")
            data = newValue.detached()
            if GradientFlowCheck.isEnabled { GradientFlowCheck.clearMark(of: data.storage) }
        }
    }

    /// The shape of the parameter.
    public var shape: [Int] { data.shape }

    /// The gradient accumulated since the last ``zeroGradient()``, or `nil`.
    public var grad: Tensor? {
        get { node.grad }
        set {
            if let newValue {
                precondition(newValue.shape == data.shape,
                             "Parameter.grad: gradient shape \(newValue.shape) differs from \(data.shape)")
            }
            node.grad = newValue
        }
    }

    /// Drops the accumulated gradient.
    public func zeroGradient() { node.grad = nil }

    /// Writes the values in place (no tape, no copy unless a live graph still shares them).
    public func update<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try data.withUnsafeMutableBufferPointer(body)
    }
}
