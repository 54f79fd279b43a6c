import Tensor

// The two phases of fine-tuning: first only the head learns on top of a completely frozen
// backbone, then everything learns, the backbone at a lower rate (an optimizer group).

extension FineTunable {
    /// Whether the state name `name` (a parameter, buffer or module) belongs to the head.
    public func isHead(_ name: String) -> Bool {
        headPrefixes.contains { Module.name(name, matches: $0) }
    }

    /// The backbone's parameters, frozen or not, in state-dictionary order.
    public var backboneParameters: [Parameter] {
        namedParameters().filter { !isHead($0.name) }.map(\.parameter)
    }

    /// The head's parameters, in state-dictionary order.
    public var headParameters: [Parameter] {
        namedParameters().filter { isHead($0.name) }.map(\.parameter)
    }

    /// Freezes the backbone completely: its parameters record no gradients (optimizers skip
    /// them), and its modules go to eval mode, so that batch norm normalizes with the
    /// pretrained running statistics and leaves them untouched. Without the second part the
    /// "frozen" backbone would still drift: batch statistics of a few X-ray batches would
    /// replace ImageNet's in every layer.
    ///
    /// The head keeps its mode (dropout stays active in training). ``Module/train(_:)`` resets
    /// every mode, so call this after it, at the start of each frozen epoch.
    /// - Returns: the number of parameters frozen.
    @discardableResult
    public func freezeBackbone() -> Int {
        for (name, module) in namedModules() where !name.isEmpty && !isHead(name) && !containsHead(name) {
            module.isTraining = false
        }
        var count = 0
        for (name, parameter) in namedParameters() where !isHead(name) {
            parameter.requiresGradient = false
            count += 1
        }
        return count
    }

    /// Trains the backbone's parameters again; modes follow the next ``Module/train(_:)``.
    /// - Returns: the number of parameters unfrozen.
    @discardableResult
    public func unfreezeBackbone() -> Int {
        var count = 0
        for (name, parameter) in namedParameters() where !isHead(name) {
            parameter.requiresGradient = true
            count += 1
        }
        return count
    }

    /// Whether the module called `name` contains part of the head (so its mode is not the
    /// backbone's to set; only its own backbone descendants are).
    private func containsHead(_ name: String) -> Bool {
        headPrefixes.contains { Module.name($0, matches: name) }
    }
}
