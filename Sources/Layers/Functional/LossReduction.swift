import Tensor

/// How a loss combines its per-sample (or per-element) values, as PyTorch's `reduction=`.
public enum LossReduction: Sendable, Equatable {
    /// The average (for weighted cross entropy: divided by the total weight of the targets).
    case mean
    /// The sum.
    case sum
    /// No reduction: one loss per sample or element.
    case none
}

extension LossReduction {
    /// Reduces `losses`; `.mean` divides the sum by `meanDivisor`. Sums run in Double.
    func reduce(_ losses: Tensor, meanDivisor: Double) -> Tensor {
        if self == .none { return losses }
        let total = losses.withUnsafeBufferPointer { values in
            var total = 0.0
            for v in values { total += Double(v) }
            return total
        }
        return Tensor(Float(self == .sum ? total : total / meanDivisor))
    }

    /// The gradient of the reduced loss with respect to each unreduced loss, given the
    /// gradient `gradient` of the reduced loss: a scalar tensor for `.mean` and `.sum`, the
    /// gradient itself for `.none` (broadcastable against the losses in both cases).
    func lossGradient(_ gradient: Tensor, meanDivisor: Double) -> Tensor {
        self == .mean ? gradient / Float(meanDivisor) : gradient
    }
}
