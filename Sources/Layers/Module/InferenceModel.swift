import Tensor

/// A model shared for inference across threads and tasks: the `Sendable` handle a web server
/// keeps (MLX's `ModelContainer`, without the serialization).
///
/// It puts the model in eval mode once and offers nothing but forward passes without the tape,
/// which only read parameters and buffers; so any number of calls may run at the same time.
/// The passes run through a ``FusedModel``: convolutions, batch norms and activations fused.
/// The model must not be changed (trained, switched to training mode, reloaded) while the
/// handle is in use; keep no other reference to it, or use it only on one thread before
/// wrapping.
public final class InferenceModel<Model: Module>: @unchecked Sendable {
    /// The wrapped model (for reading its configuration; do not mutate it).
    public let model: Model

    private let fused: FusedModel<Model>

    /// Puts `model` in eval mode and wraps it.
    public init(_ model: Model) {
        model.eval()
        self.model = model
        fused = FusedModel(model)
    }

    /// What the fusion transform does for inputs of `imageShape` (see
    /// ``FusedModel/plannedFusions(imageShape:)``).
    public func plannedFusions(imageShape: [Int]) -> [String] {
        fused.plannedFusions(imageShape: imageShape)
    }

    /// The model's output for `input`, computed without recording gradients.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        withoutGradients { fused(input) }
    }
}
