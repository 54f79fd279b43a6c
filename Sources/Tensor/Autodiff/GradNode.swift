import Foundation

/// One entry of the runtime tape: the inputs an op read and the rule that maps the gradient of
/// its output to gradients of those inputs (micrograd's design, at tensor scale).
///
/// A leaf node (a tensor that requires gradients, or a ``Parameter``) has no rule and
/// accumulates its gradient in ``grad``.
public final class GradNode: @unchecked Sendable {
    /// The name of the op that made the tensor, for error messages and debugging.
    public let op: String
    /// Nodes of the inputs that require gradients. Emptied once ``Tensor/backward(_:)`` ran.
    var inputs: [GradNode?]
    /// Maps the output gradient to one gradient per input (`nil` where none flows). The second
    /// argument receives gradients of leaves that the rule reaches by a walk of its own (a
    /// checkpointed region replaying its graph); ordinary rules ignore it.
    var rule: ((Tensor, LeafVisitor) -> [Tensor?])?
    /// The shape of the tensor this node belongs to.
    let shape: [Int]
    /// Whether this node is a leaf (it accumulates instead of propagating).
    public let isLeaf: Bool
    /// Inputs that had no gradient history although they were computed from differentiable
    /// data (set by ``GradientFlowCheck``, which stops a backward pass that reaches this node).
    var untrackedInputs: [GradientFlowCheck.UntrackedInput]?
    private let lock = NSLock()
    private var accumulated: Tensor?

    /// Where a backward walk sends the gradient that reaches a leaf.
    typealias LeafVisitor = (GradNode, Tensor) -> Void

    init(op: String, shape: [Int], inputs: [GradNode?], rule: ((Tensor, LeafVisitor) -> [Tensor?])?) {
        self.op = op
        self.shape = shape
        self.inputs = inputs
        self.rule = rule
        self.isLeaf = rule == nil
    }

    /// Unlinks the graph behind this node iteratively. A graph dropped without `backward()`
    /// (a running loss summed over many steps, a long unrolled loop) would otherwise be freed
    /// by one recursive deinit per node and overflow the stack.
    deinit {
        var pending = inputs.compactMap { $0 }
        inputs = []
        rule = nil  // its saved tensors also refer to the input nodes
        // `node` must be the only binding of the popped node for the uniqueness test to see it.
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }
            pending.append(contentsOf: node.inputs.compactMap { $0 })
            node.inputs = []
            node.rule = nil
        }
    }

    /// The nodes of the inputs that require gradients, in order, for tools that read the
    /// graph (a tracer counting how many ops consume each result); empty once
    /// ``Tensor/backward(_:)`` released it.
    public var inputNodes: [GradNode] { inputs.compactMap { $0 } }

    /// A leaf for a tensor of the given shape.
    static func leaf(shape: [Int]) -> GradNode {
        GradNode(op: "leaf", shape: shape, inputs: [], rule: nil)
    }

    /// The gradient accumulated so far (leaves only).
    public var grad: Tensor? {
        get { lock.withLock { accumulated } }
        set { lock.withLock { accumulated = newValue } }
    }

    /// Adds `gradient` to the accumulated gradient.
    func accumulate(_ gradient: Tensor) {
        lock.withLock {
            if var current = accumulated {
                accumulated = nil  // drop the second reference so the addition needs no copy
                current.addInPlace(gradient)
                accumulated = current
            } else {
                accumulated = gradient
            }
        }
    }
}
