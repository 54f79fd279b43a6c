import Foundation
import Tensor

/// Batch normalization over the channel axis (axis 1) of `[N, C]`, `[N, C, L]` or
/// `[N, C, H, W]` inputs, as PyTorch's `torch.nn.functional.batch_norm`.
///
/// Each channel is normalized over all other axes, then scaled by `weight` and shifted by
/// `bias` (both `[C]`, optional). In training mode the batch's mean and biased variance
/// normalize the input, and the running statistics move towards the batch's
/// (`new = (1 − momentum)·old + momentum·batch`, with the *unbiased* variance, as PyTorch).
/// In evaluation mode the running statistics normalize the input and are returned unchanged.
///
/// With a `residual` (the input's shape), it is added before the activation —
/// `activation(batchNorm(…) + residual)`, the end of a ResNet block — in one pass instead of
/// three, and the residual receives the gradient that passes the activation.
///
/// With an `activation`, the result is `activation(batchNorm(…))` computed as one op: one
/// output tensor instead of two, and the op keeps only its input for the backward pass (the
/// activation's derivative is recomputed from it). After a ReLU the unfused pair keeps the
/// activation's output too, which matters where nothing downstream keeps it — ResNet's stem,
/// whose max pool keeps only the positions of its maxima. Values and gradients are those of
/// the two ops applied one after the other.
///
/// - Returns: the normalized output and the running statistics to store for the next call
///   (neither statistic carries gradients).
///
/// Differentiable with respect to `input`, `weight` and `bias` through one fused closed-form
/// rule (in training mode the batch statistics depend on the input, and the rule accounts for
/// it).
public func batchNorm(_ input: Tensor, runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?,
                      training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5, activation: FusedActivation = .identity,
                      adding residual: Tensor? = nil)
    -> (output: Tensor, updatedMean: Tensor, updatedVariance: Tensor) {
    batchNorm(input, runningMean: runningMean, runningVariance: runningVariance, weight: weight, bias: bias,
              training: training, momentum: momentum, epsilon: epsilon, activation: activation, batchStatistics: nil,
              residual: residual)
}

/// ``batchNorm(_:runningMean:runningVariance:weight:bias:training:momentum:epsilon:activation:adding:)``
/// with the batch's per-channel mean and biased variance given (training mode) instead of
/// computed — the replay of a checkpointed region reuses those of its first pass — and
/// optionally a `residual` of the input's shape added before the activation:
/// `activation(batchNorm(input) + residual)`, the end of a ResNet block, in one pass instead
/// of three. With a residual the op keeps its output too (the activation's derivative is read
/// from it; the next block keeps that tensor anyway as its input).
func batchNorm(_ input: Tensor, runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?,
               training: Bool, momentum: Float, epsilon: Float, activation: FusedActivation,
               batchStatistics: (mean: [Double], variance: [Double])?, residual: Tensor? = nil)
    -> (output: Tensor, updatedMean: Tensor, updatedVariance: Tensor) {
    if let residual {
        precondition(residual.shape == input.shape,
                     "batchNorm: residual shape \(residual.shape) differs from input shape \(input.shape)")
    }
    let layout = ChannelLayout(input.shape, op: "batchNorm")
    let channels = layout.channels
    for (name, tensor) in [("runningMean", runningMean), ("runningVariance", runningVariance), ("weight", weight), ("bias", bias)] {
        guard let tensor else { continue }
        precondition(tensor.shape == [channels],
                     "batchNorm: \(name) shape \(tensor.shape) does not match input \(input.shape) (expected [\(channels)])")
    }
    precondition(epsilon >= 0, "batchNorm: epsilon \(epsilon) must not be negative")

    // Per-channel statistics used to normalize: the batch's (training) or the running ones.
    let mean: [Float], invStd: [Float]
    let updatedMean: Tensor, updatedVariance: Tensor
    if training {
        let count = layout.countPerChannel
        precondition(count > 1, "batchNorm: expected more than 1 value per channel when training, got input shape \(input.shape)")
        let (batchMean, batchVariance) = batchStatistics ?? layout.meanAndVariance(of: input)
        mean = batchMean.map { Float($0) }
        invStd = batchVariance.map { Float(1 / ($0 + Double(epsilon)).squareRoot()) }
        let unbiased = Double(count) / Double(count - 1)
        let keep = Double(1 - momentum), take = Double(momentum)
        // The running statistics are state, not part of the graph: no gradient on purpose.
        (updatedMean, updatedVariance) = Tensor.nonDifferentiable {
            (runningMean.withUnsafeBufferPointer { old in
                Tensor(shape: [channels], scalars: (0..<channels).map { Float(keep * Double(old[$0]) + take * batchMean[$0]) })
            }, runningVariance.withUnsafeBufferPointer { old in
                Tensor(shape: [channels], scalars: (0..<channels).map {
                    Float(keep * Double(old[$0]) + take * batchVariance[$0] * unbiased)
                })
            })
        }
    } else {
        mean = runningMean.scalars
        invStd = runningInverseStandardDeviation(runningVariance, epsilon: epsilon)
        (updatedMean, updatedVariance) = (runningMean.detached(), runningVariance.detached())
    }

    let (scale, shift) = batchNormAffine(mean: mean, invStd: invStd, weight: weight, bias: bias)
    let output = layout.affine(input, scale: scale, shift: shift, adding: residual, bounds: activation.bounds)

    let inputs = [input] + [weight, bias, residual].compactMap { $0 }
    // Where the activation's derivative comes from: recomputed from the input, or (after a
    // residual sum, which the input alone does not determine) read from the output.
    let gate = activation == .identity || residual != nil ? nil : (scale: scale, shift: shift, bounds: activation.bounds)
    let gatingOutput = activation != .identity && residual != nil ? output : nil
    // Flags, not the residual itself: the rule must not keep the shortcut's tensor alive.
    let hasResidual = residual != nil, needsResidual = residual?.requiresGradient == true
    let result = Tensor.record("batchNorm", result: output, inputs: inputs) { gradient in
        let gradient = gatingOutput.map { passing(gradient, where: $0, isInside: activation.bounds) } ?? gradient
        let grads = layout.batchNormBackward(gradient: gradient, input: input, mean: mean, invStd: invStd,
                                             weight: weight, training: training, needsInput: input.requiresGradient,
                                             gate: gate)
        var result: [Tensor?] = [grads.input]
        if let weight { result.append(weight.requiresGradient ? grads.weight : nil) }
        if let bias { result.append(bias.requiresGradient ? grads.bias : nil) }
        if hasResidual { result.append(needsResidual ? gradient : nil) }
        return result
    }
    return (result, updatedMean, updatedVariance)
}

/// `g` where `lower < y < upper`, else 0: the derivative of a clamp-shaped activation read
/// from its output `y` (exact: the clamp leaves `y` strictly inside its bounds just where it passes).
private func passing(_ g: Tensor, where y: Tensor, isInside bounds: (lower: Float, upper: Float)) -> Tensor {
    Tensor(shape: g.shape) { out in
        g.withUnsafeBufferPointer { g in
            y.withUnsafeBufferPointer { y in
                let g = g.baseAddress!, y = y.baseAddress!, o = out.baseAddress!, (lower, upper) = bounds
                Parallel.forEachChunk(count: out.count) { range in
                    for i in range { o[i] = y[i] > lower && y[i] < upper ? g[i] : 0 }
                }
            }
        }
    }
}

extension ChannelLayout {
    /// Per-channel mean and biased variance (two passes, in Double).
    func meanAndVariance(of x: Tensor) -> (mean: [Double], variance: [Double]) {
        var mean = [Double](repeating: 0, count: channels), variance = [Double](repeating: 0, count: channels)
        let inner = self.inner, count = Double(countPerChannel)
        x.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { meanOut in
                variance.withUnsafeMutableBufferPointer { varianceOut in
                    let x = x.baseAddress!, meanOut = meanOut.baseAddress!, varianceOut = varianceOut.baseAddress!
                    forEachChannel { c, runs in
                        var total = 0.0
                        for start in runs { total += Double(VectorReductions.sum(x + start, count: inner)) }
                        let m = total / count
                        var squares = 0.0
                        for start in runs {
                            squares += Double(VectorReductions.squaredDeviations(x + start, count: inner, from: Float(m)))
                        }
                        meanOut[c] = m
                        varianceOut[c] = squares / count
                    }
                }
            }
        }
        return (mean, variance)
    }

    /// `min(max(x · scale[c] + shift[c] (+ residual), lower), upper)` per channel: batch norm's
    /// affine map, optionally a residual sum, then a clamp-shaped activation (±∞ bounds for none).
    func affine(_ x: Tensor, scale: [Float], shift: [Float], adding residual: Tensor? = nil,
                bounds: (lower: Float, upper: Float)) -> Tensor {
        Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { x in
                residual.withOptionalPointer { s in
                    affine(from: x.baseAddress!, adding: s, into: out.baseAddress!, scale: scale, shift: shift, bounds: bounds)
                }
            }
        }
    }

    /// The kernel of ``affine(_:scale:shift:adding:bounds:)``; `x` and `y` may be the same
    /// buffer (the inference fusion writes in place), split over the cores by channel.
    func affine(from x: UnsafePointer<Float>, adding residual: UnsafePointer<Float>? = nil, into y: UnsafeMutablePointer<Float>,
                scale: [Float], shift: [Float], bounds: (lower: Float, upper: Float)) {
        let inner = self.inner, (lower, upper) = bounds
        // One loop per case: with `x` and `y` possibly the same buffer, a single loop reading
        // `x` and writing `y` stopped vectorizing (the in-place affine of EfficientNet's
        // inference fusion went from 6 % to 16 % of the forward pass).
        let inPlace = UnsafeMutablePointer(mutating: x) == y
        forEachChannel { c, runs in
            let a = scale[c], b = shift[c]
            for start in runs {
                if let s = residual {  // the sum in the unfused order: (x·a + b) + s
                    for i in start..<(start + inner) { y[i] = Swift.min(Swift.max(x[i] * a + b + s[i], lower), upper) }
                } else if inPlace {
                    for i in start..<(start + inner) { y[i] = Swift.min(Swift.max(y[i] * a + b, lower), upper) }
                } else {
                    for i in start..<(start + inner) { y[i] = Swift.min(Swift.max(x[i] * a + b, lower), upper) }
                }
            }
        }
    }

    /// The standard batch-norm backward: with x̂ = (x − μ)·σ⁻¹, dγ = Σ g·x̂, dβ = Σ g and
    /// dx = γσ⁻¹ · (g − [Σ g + x̂ · Σ g·x̂] / M) in training (the batch statistics depend on
    /// x), dx = γσ⁻¹ · g in evaluation.
    ///
    /// With a `gate` (the affine map and the bounds of a fused activation), `g` is first
    /// passed through the activation's derivative, recomputed from `x`.
    func batchNormBackward(gradient: Tensor, input: Tensor, mean: [Float], invStd: [Float], weight: Tensor?,
                           training: Bool, needsInput: Bool,
                           gate: (scale: [Float], shift: [Float], bounds: (lower: Float, upper: Float))? = nil)
        -> (input: Tensor?, weight: Tensor, bias: Tensor) {
        var gradWeight = [Float](repeating: 0, count: channels), gradBias = [Float](repeating: 0, count: channels)
        // Every element of the input gradient is written below: no zero fill.
        var gradInput: Tensor? = needsInput ? Tensor(shape: input.shape) { _ in } : nil
        let inner = self.inner, count = Float(countPerChannel)
        gradient.withUnsafeBufferPointer { g in
            input.withUnsafeBufferPointer { x in
                weight.withOptionalPointer { gamma in
                    gradInput.withOptionalMutablePointer { gx in
                        gradWeight.withUnsafeMutableBufferPointer { gw in
                            gradBias.withUnsafeMutableBufferPointer { gb in
                                let g = g.baseAddress!, x = x.baseAddress!, gw = gw.baseAddress!, gb = gb.baseAddress!
                                forEachChannel { c, runs in
                                    let m = mean[c], s = invStd[c]
                                    let channelGate = gate.map {
                                        ActivationGate(scale: $0.scale[c], shift: $0.shift[c], lower: $0.bounds.lower, upper: $0.bounds.upper)
                                    }
                                    var sumG = 0.0, sumGX = 0.0
                                    for start in runs {
                                        let (runG, runGX) = channelGate.map {
                                            VectorReductions.gatedSumAndCenteredDot(g + start, x + start, count: inner, center: m, gate: $0)
                                        } ?? VectorReductions.sumAndCenteredDot(g + start, x + start, count: inner, center: m)
                                        sumG += Double(runG); sumGX += Double(runGX)
                                    }
                                    gb[c] = Float(sumG)
                                    gw[c] = Float(sumGX) * s
                                    guard let gx else { return }
                                    let k = (gamma?[c] ?? 1) * s
                                    // Separate loops with and without the gate: the plain ones vectorize.
                                    if training {
                                        let meanG = Float(sumG) / count, meanGXHat = Float(sumGX) * s / count
                                        for start in runs {
                                            if let channelGate {
                                                for i in start..<(start + inner) {
                                                    gx[i] = k * (channelGate.apply(g[i], input: x[i]) - meanG - (x[i] - m) * s * meanGXHat)
                                                }
                                            } else {
                                                for i in start..<(start + inner) {
                                                    gx[i] = k * (g[i] - meanG - (x[i] - m) * s * meanGXHat)
                                                }
                                            }
                                        }
                                    } else {
                                        for start in runs {
                                            if let channelGate {
                                                for i in start..<(start + inner) { gx[i] = k * channelGate.apply(g[i], input: x[i]) }
                                            } else {
                                                for i in start..<(start + inner) { gx[i] = k * g[i] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gradInput, Tensor(shape: [channels], scalars: gradWeight), Tensor(shape: [channels], scalars: gradBias))
    }
}

/// `1/√(var + ε)` per channel of the running variance: eval mode's normalization, shared by
/// ``batchNorm(_:runningMean:runningVariance:weight:bias:training:momentum:epsilon:)`` and the
/// fused inference path so that both round identically.
func runningInverseStandardDeviation(_ runningVariance: Tensor, epsilon: Float) -> [Float] {
    runningVariance.scalars.map { 1 / ($0 + epsilon).squareRoot() }
}

/// Batch norm as the per-channel affine map `y = x·scale + shift`, with `scale = γσ⁻¹` and
/// `shift = β − μ·scale` (γ = 1 and β = 0 when absent).
func batchNormAffine(mean: [Float], invStd: [Float], weight: Tensor?, bias: Tensor?) -> (scale: [Float], shift: [Float]) {
    let gamma = weight?.scalars, beta = bias?.scalars
    let scale = invStd.indices.map { c in invStd[c] * (gamma?[c] ?? 1) }
    let shift = invStd.indices.map { c in (beta?[c] ?? 0) - mean[c] * scale[c] }
    return (scale, shift)
}
