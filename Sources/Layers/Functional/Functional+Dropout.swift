import Tensor

/// Inverted dropout, as PyTorch's `torch.nn.functional.dropout`: in training each scalar is
/// zeroed with probability `probability` and the survivors are scaled by `1 / (1 − p)`, so that
/// evaluation (the identity) needs no rescaling.
///
/// The mask is drawn sequentially from `generator` (one draw per scalar, row-major), so a seed
/// fixes it. Returns `input` unchanged when not training or when `probability == 0`; all zeros
/// when `probability == 1`. Differentiable with respect to `input` (the gradient is masked and
/// scaled the same way).
public func dropout(_ input: Tensor, probability: Float, training: Bool, generator: inout RandomGenerator) -> Tensor {
    precondition((0...1).contains(probability), "dropout: probability \(probability) is outside [0, 1]")
    guard training, probability > 0 else { return input }
    let scale: Float = probability < 1 ? 1 / (1 - probability) : 0
    let mask = Tensor.nonDifferentiable(shape: input.shape) { mask in
        for i in 0..<mask.count { mask[i] = generator.nextUnitFloat() < probability ? 0 : scale }
    }
    let output = withoutGradients { input.detached() * mask }
    return Tensor.record("dropout", result: output, inputs: [input]) { gradient in [gradient * mask] }
}
