/// Whether ops record themselves on the tape.
///
/// Inference and optimizer updates run inside ``withoutGradients(_:)``: no node is created, no
/// input is kept alive, and memory stays flat.
public enum GradientMode {
    @TaskLocal static var recording = true

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

/// Runs `body` with the tape switched on, even inside ``withoutGradients(_:)`` (PyTorch's
/// `torch.enable_grad`): for a tool that traces a model's graph from within inference code.
public func withGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$recording.withValue(true, operation: body)
}
