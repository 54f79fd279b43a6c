import Tensor

/// ``checkpoint(_:_:)`` for a model's own code: the replay during backward runs under the
/// module-call hook of the forward pass, so that inside a ``FusedModel`` the recomputed region
/// is fused as its first pass was.
///
/// Without it the replay, which runs inside `backward()`, long after the forward's hook ended,
/// ran ResNet's stem unfused: batch norm and ReLU each kept a full-resolution map where the
/// fused op keeps one (ResNet-18 training at 224 px, batch 32: the step's peak).
func checkpointUnderModuleHook(_ input: Tensor, _ body: @escaping (Tensor) -> Tensor) -> Tensor {
    guard let hook = ModuleCalls.hook else { return checkpoint(input, body) }
    return checkpoint(input) { x in ModuleCalls.$hook.withValue(hook) { body(x) } }
}
