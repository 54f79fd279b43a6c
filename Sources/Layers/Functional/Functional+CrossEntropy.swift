import Foundation
import Tensor

/// Softmax cross entropy between `[N, C]` logits and integer class labels, fused, with
/// PyTorch's `cross_entropy` semantics.
///
/// With `w` the class weights (all 1 by default), `ε` the label smoothing and
/// `log p = logSoftmax(logits)`, sample `i` with label `y` has loss
/// `(1 − ε)·(−w_y·log p_y) + (ε / C)·Σ_c (−w_c·log p_c)`.
/// `.mean` divides the sum over samples by `Σ_i w_{y_i}` (the weights of the targets, as
/// PyTorch, for both terms), `.sum` adds them, `.none` returns the `[N]` losses.
///
/// Differentiable with respect to `logits` by the closed form
/// `softmax · ((1 − ε)·w_y + (ε/C)·Σ w) − ((1 − ε)·w_y·onehot(y) + (ε/C)·w)`.
public func crossEntropy(logits: Tensor, labels: [Int], classWeights: Tensor? = nil, labelSmoothing: Float = 0,
                         reduction: LossReduction = .mean) -> Tensor {
    precondition(logits.rank == 2, "crossEntropy: logits must be [N, C], got shape \(logits.shape)")
    let (count, classes) = (logits.shape[0], logits.shape[1])
    precondition(labels.count == count, "crossEntropy: \(labels.count) labels for logits of shape \(logits.shape)")
    for label in labels {
        precondition((0..<classes).contains(label),
                     "crossEntropy: label \(label) is out of range for logits of shape \(logits.shape)")
    }
    if let classWeights {
        precondition(classWeights.shape == [classes],
                     "crossEntropy: classWeights shape \(classWeights.shape) does not match logits \(logits.shape) (expected [\(classes)])")
    }
    precondition((0...1).contains(labelSmoothing), "crossEntropy: labelSmoothing \(labelSmoothing) is outside [0, 1]")

    let weights = classWeights?.scalars ?? [Float](repeating: 1, count: classes)
    let smoothing = Double(labelSmoothing), share = smoothing / Double(classes)
    let weightTotal = weights.reduce(0.0) { $0 + Double($1) }
    let targetWeight = labels.reduce(0.0) { $0 + Double(weights[$1]) }

    // One pass per row: the softmax (kept for the backward rule) and the row's loss.
    var losses = [Float](repeating: 0, count: count)
    let probabilities = Tensor(shape: logits.shape) { out in
        logits.withUnsafeBufferPointer { x in
            losses.withUnsafeMutableBufferPointer { losses in
                weights.withUnsafeBufferPointer { w in
                    let x = x.baseAddress!, p = out.baseAddress!, losses = losses.baseAddress!, w = w.baseAddress!
                    forEachChunk(count: count, costPerItem: classes * 4) { rows in
                        for i in rows {
                            let row = x + i * classes, probabilities = p + i * classes
                            var m = -Float.infinity
                            for c in 0..<classes { m = Swift.max(m, row[c]) }
                            var total: Float = 0
                            for c in 0..<classes { let e = Foundation.exp(row[c] - m); probabilities[c] = e; total += e }
                            let logTotal = Double(m) + Foundation.log(Double(total))
                            let inverse = 1 / total
                            var smoothed = 0.0
                            for c in 0..<classes {
                                probabilities[c] *= inverse
                                if share != 0 { smoothed += Double(w[c]) * (logTotal - Double(row[c])) }
                            }
                            let y = labels[i]
                            let nll = Double(w[y]) * (logTotal - Double(row[y]))
                            losses[i] = Float((1 - smoothing) * nll + share * smoothed)
                        }
                    }
                }
            }
        }
    }
    let reduced = reduction.reduce(Tensor(shape: [count], scalars: losses), meanDivisor: targetWeight)
    return Tensor.record("crossEntropy", result: reduced, inputs: [logits]) { gradient in
        let rowScale = reduction.lossGradient(gradient, meanDivisor: targetWeight).expanded(to: [count])
        let gradLogits = Tensor(shape: logits.shape) { out in
            probabilities.withUnsafeBufferPointer { p in
                rowScale.withUnsafeBufferPointer { scale in
                    weights.withUnsafeBufferPointer { w in
                        let p = p.baseAddress!, g = out.baseAddress!, scale = scale.baseAddress!, w = w.baseAddress!
                        let smoothingWeight = Float(share * weightTotal), share = Float(share), keep = Float(1 - smoothing)
                        forEachChunk(count: count, costPerItem: classes * 2) { rows in
                            for i in rows {
                                let y = labels[i], s = scale[i]
                                let hard = keep * w[y]
                                let total = hard + smoothingWeight
                                let pi = p + i * classes, gi = g + i * classes
                                for c in 0..<classes { gi[c] = s * (pi[c] * total - share * w[c]) }
                                gi[y] -= s * hard
                            }
                        }
                    }
                }
            }
        }
        return [gradLogits]
    }
}
