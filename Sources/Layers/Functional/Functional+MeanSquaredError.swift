import Tensor

/// The squared error `(prediction − target)²`, reduced, as PyTorch's `mse_loss`.
///
/// Both tensors must have the same shape. Differentiable with respect to both.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor, reduction: LossReduction = .mean) -> Tensor {
    precondition(prediction.shape == target.shape,
                 "meanSquaredError: prediction shape \(prediction.shape) differs from target shape \(target.shape)")
    let difference = prediction.detached() - target.detached()  // detached: nothing is recorded
    let losses = difference.squared()
    let count = Double(prediction.scalarCount)
    return Tensor.record("meanSquaredError", result: reduction.reduce(losses, meanDivisor: count),
                         inputs: [prediction, target]) { gradient in
        let gradPrediction = difference * (2 * reduction.lossGradient(gradient, meanDivisor: count))
        return [prediction.requiresGradient ? gradPrediction : nil, target.requiresGradient ? -gradPrediction : nil]
    }
}
