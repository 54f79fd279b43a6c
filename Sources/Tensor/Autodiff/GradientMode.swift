/// Whether ops record themselves on the tape.
///
/// Inference and optimizer updates run inside ``withoutGradients(_:)``: no node is created, no
/// input is kept alive, and memory stays flat.
public enum GradientMode {
    @TaskLocal static var recording = true
    /// Whether recorded nodes keep only the graph's structure (see ``tracingGraph(_:)``).
    @TaskLocal static var keepsStructureOnly = false

    /// Whether ops currently record on the tape.
    public static var isEnabled: Bool { recording }
}

/// Runs `body` with the tape switched off: results carry no gradient history.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$recording.withValue(false, operation: body)
}

/// Runs async `body` with the tape switched off.
public func withoutGradients<R>(_ body: () async throws -> R) async rethrows -> R {
    try await GradientMode.$recording.withValue(false, operation: body)
}

/// Runs `body` with the tape recording only the graph's structure — each op's name and the
/// nodes of its inputs (``GradNode/inputNodes``) — even inside ``withoutGradients(_:)``.
///
/// Nothing is kept for a backward pass (the rules, and the tensors they would save, are
/// dropped as each op records), so tracing a model costs one forward pass of memory, not a
/// training step's; a backward pass through the result stops with a message. This is what
/// the fusion transform traces models with (as `torch.fx` traces for PyTorch's fusion passes).
public func tracingGraph<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$recording.withValue(true) {
        try GradientMode.$keepsStructureOnly.withValue(true, operation: body)
    }
}
