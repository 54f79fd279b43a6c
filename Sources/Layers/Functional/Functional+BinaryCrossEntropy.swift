import Foundation
import Tensor

/// Binary cross entropy on logits (sigmoid fused in), as PyTorch's
/// `binary_cross_entropy_with_logits`:
/// `loss = −[p·t·log σ(x) + (1 − t)·log(1 − σ(x))]`, with `p` the positive weight.
///
/// Computed as `(1 − t)·x + (1 + (p − 1)·t)·softplus(−x)` with a stable softplus, so large
/// logits of either sign neither overflow nor lose the loss.
///
/// - Parameters:
///   - logits: any shape.
///   - targets: the same shape, in [0, 1] (soft labels allowed).
///   - positiveWeight: weights of the positive term, broadcast against `logits` (typically
///     `[classes]` for `[N, classes]` logits: `negatives / positives` per class).
/// - Differentiable with respect to `logits`, `targets` and `positiveWeight`.
public func binaryCrossEntropy(logits: Tensor, targets: Tensor, positiveWeight: Tensor? = nil,
                               reduction: LossReduction = .mean) -> Tensor {
    precondition(logits.shape == targets.shape,
                 "binaryCrossEntropy: logits shape \(logits.shape) differs from targets shape \(targets.shape)")
    let weights = positiveWeight.map { weight in
        _ = Shape.broadcast(weight.shape, logits.shape, op: "binaryCrossEntropy (positiveWeight vs logits)")
        return weight.detached().expanded(to: logits.shape)
    }
    let count = logits.scalarCount
    // softplus(−x) and the loss per element, in one pass.
    var softplus = Tensor.zeros(logits.shape)
    let losses = Tensor(shape: logits.shape) { out in
        logits.withUnsafeBufferPointer { x in
            targets.withUnsafeBufferPointer { t in
                weights.withOptionalPointer { p in
                    softplus.withUnsafeMutableBufferPointer { sp in
                        let x = x.baseAddress!, t = t.baseAddress!, sp = sp.baseAddress!, o = out.baseAddress!
                        Parallel.forEachChunk(count: count, minimumChunk: 8192) { range in
                            for i in range {
                                let s = Swift.max(-x[i], 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x[i])))
                                sp[i] = s
                                o[i] = (1 - t[i]) * x[i] + (1 + ((p?[i] ?? 1) - 1) * t[i]) * s
                            }
                        }
                    }
                }
            }
        }
    }
    let inputs = [logits, targets] + (positiveWeight.map { [$0] } ?? [])
    let divisor = Double(count)
    return Tensor.record("binaryCrossEntropy", result: reduction.reduce(losses, meanDivisor: divisor),
                         inputs: inputs) { gradient in
        let scale = reduction.lossGradient(gradient, meanDivisor: divisor).expanded(to: logits.shape)
        let weight = weights ?? Tensor.ones(logits.shape)
        var result: [Tensor?] = [nil, nil]
        if logits.requiresGradient {
            // d/dx = (1 − t) − (1 + (p − 1)·t)·σ(−x); 1 / (1 + eˣ) saturates cleanly at 0 and 1.
            result[0] = Tensor(shape: logits.shape) { out in
                logits.withUnsafeBufferPointer { x in
                    targets.withUnsafeBufferPointer { t in
                        weight.withUnsafeBufferPointer { p in
                            scale.withUnsafeBufferPointer { g in
                                for i in 0..<count {
                                    let sigmoidNegative = 1 / (1 + Foundation.exp(x[i]))
                                    out[i] = g[i] * ((1 - t[i]) - (1 + (p[i] - 1) * t[i]) * sigmoidNegative)
                                }
                            }
                        }
                    }
                }
            }
        }
        if targets.requiresGradient {
            // d/dt = −x + (p − 1)·softplus(−x)
            result[1] = scale * ((weight - 1) * softplus - logits.detached())
        }
        if let positiveWeight {
            // d/dp = t·softplus(−x), summed back over the broadcast axes.
            result.append(positiveWeight.requiresGradient
                ? (scale * targets.detached() * softplus).sum(toShape: positiveWeight.shape) : nil)
        }
        return result
    }
}
