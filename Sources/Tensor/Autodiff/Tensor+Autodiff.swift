extension Tensor {
    /// Whether gradients flow through this tensor.
    public var requiresGradient: Bool { gradNode != nil }

    /// This tensor as a leaf that accumulates a gradient in ``grad`` during ``backward(_:)``.
    public func requiringGradient() -> Tensor {
        var copy = self
        copy.gradNode = GradNode.leaf(shape: shape)
        return copy
    }

    /// The same values with no gradient history (PyTorch's `detach()`).
    ///
    /// Detaching is also how an op says that no gradient should flow from what it reads:
    /// ``GradientFlowCheck`` notes no read of a detached tensor.
    public func detached() -> Tensor {
        var copy = self
        copy.gradNode = nil
        return copy
    }

    /// The gradient accumulated into this leaf, or `nil` before any ``backward(_:)`` reached it.
    public var grad: Tensor? { gradNode?.isLeaf == true ? gradNode?.grad : nil }

    /// Records `result` as computed by `op` from `inputs`.
    ///
    /// This is how every differentiable op joins the tape: `rule` receives the gradient of the
    /// loss with respect to `result` and returns one gradient per input, in order, each with
    /// that input's shape (`nil` where the input needs none). When recording is off or no
    /// input requires gradients, `result` is returned untouched and `rule` is dropped.
    ///
    /// Build `result` with the raw constructors (``init(shape:initializingWith:file:line:)``)
    /// from the inputs' scalars: ``GradientFlowCheck`` counts the op as done here, and stops a
    /// later backward pass when a tensor computed from differentiable data skipped this call.
    public static func record(_ op: String, result: Tensor, inputs: [Tensor],
                              rule: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        let untracked = GradientFlowCheck.isEnabled ? GradientFlowCheck.untrackedInputs(of: inputs) : nil
        guard GradientMode.isEnabled, inputs.contains(where: { $0.gradNode != nil }) else {
            if let untracked { GradientFlowCheck.passOn(untracked, to: result) }
            return result
        }
        var output = result.detached()
        let inputNodes = inputs.map(\.gradNode)
        output.gradNode = GradientMode.keepsStructureOnly
            ? GradNode(op: op, shape: result.shape, inputs: inputNodes) { _, _ in
                preconditionFailure("backward(): the graph through '\(op)' was recorded by tracingGraph(_:), which keeps no gradient rules")
            }
            : GradNode(op: op, shape: result.shape, inputs: inputNodes) { gradient, _ in rule(gradient) }
        if let untracked { GradientFlowCheck.noteRecorded(output, untrackedInputs: untracked) }
        return output
    }

    /// Propagates gradients from this tensor back to every leaf that requires them.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this tensor;
    ///   defaults to 1 and then requires a one-element tensor (a scalar loss).
    ///
    /// Gradients accumulate into leaves (call `zeroGradients` on parameters between steps). The
    /// graph is released as it is walked: a second `backward` through the same intermediate
    /// results stops with an error.
    public func backward(_ seed: Tensor? = nil) {
        propagate(seed: seed, op: "backward()") { leaf, gradient in leaf.accumulate(gradient) }
    }

    /// The gradients of this tensor with respect to `inputs`, without touching any leaf's
    /// accumulated gradient (PyTorch's `torch.autograd.grad`).
    ///
    /// Each input must require gradients; its entry is `nil` when this tensor does not depend
    /// on it. Like ``backward(_:)``, this releases the graph. Grad-CAM uses it to take the
    /// gradient of a class score with respect to feature maps while the model's parameters,
    /// shared with concurrent requests, stay untouched.
    public func gradients(withRespectTo inputs: [Tensor], seed: Tensor? = nil) -> [Tensor?] {
        let wanted = inputs.map { input -> ObjectIdentifier in
            guard let node = input.gradNode else {
                preconditionFailure("gradients(withRespectTo:): an input of shape \(input.shape) does not require gradients")
            }
            return ObjectIdentifier(node)
        }
        var found: [ObjectIdentifier: Tensor] = [:]
        propagate(seed: seed, op: "gradients(withRespectTo:)") { leaf, gradient in
            let key = ObjectIdentifier(leaf)
            // A leaf is visited once per walk; a checkpointed region's replay is a walk of its own.
            if wanted.contains(key) { found[key] = found[key].map { $0 + gradient } ?? gradient }
        }
        return wanted.map { found[$0] }
    }

    /// Walks the graph from this tensor in reverse topological order, running each rule once
    /// with the summed gradient of its output and handing leaf gradients to `visitLeaf`.
    func propagate(seed: Tensor?, op: String, visitLeaf: GradNode.LeafVisitor) {
        guard let root = gradNode else {
            if GradientFlowCheck.isEnabled { GradientFlowCheck.explainMissingGraph(of: self, op: op) }
            preconditionFailure("\(op): tensor of shape \(shape) does not require gradients")
        }
        let seed = seed ?? {
            precondition(scalarCount == 1, "\(op): a seed gradient is needed for non-scalar shape \(shape)")
            return Tensor(shape: shape, repeating: 1)
        }()
        precondition(seed.shape == shape, "\(op): seed shape \(seed.shape) does not match tensor shape \(shape)")

        let order = Self.topologicalOrder(from: root)
        if GradientFlowCheck.isEnabled { GradientFlowCheck.verify(order, op: op) }
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed.detached()]
        withoutGradients {
            for node in order.reversed() {
                guard let gradient = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
                if node.isLeaf {
                    visitLeaf(node, gradient)
                    continue
                }
                guard let rule = node.rule else {
                    preconditionFailure("\(op): the graph through '\(node.op)' was already released by an earlier backward()")
                }
                let inputGradients = rule(gradient, visitLeaf)
                precondition(inputGradients.count == node.inputs.count,
                             "\(op): '\(node.op)' returned \(inputGradients.count) gradients for \(node.inputs.count) inputs")
                for (input, g) in zip(node.inputs, inputGradients) {
                    guard let input, let g else { continue }
                    precondition(g.shape == input.shape,
                                 "\(op): '\(node.op)' produced a gradient of shape \(g.shape) for an input of shape \(input.shape)")
                    let key = ObjectIdentifier(input)
                    if pending[key] != nil {
                        pending[key]!.addInPlace(g)  // in place: the dictionary holds the only reference
                    } else {
                        pending[key] = g
                    }
                }
                // Free saved tensors as soon as they are used: peak memory stays at one graph.
                node.rule = nil
                node.inputs = []
            }
        }
    }

    /// Nodes reachable from `root`, each after all of its inputs (iterative DFS: deep graphs
    /// must not overflow the stack).
    static func topologicalOrder(from root: GradNode) -> [GradNode] {
        var order: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(GradNode, Bool)] = [(root, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for case let input? in node.inputs where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}
