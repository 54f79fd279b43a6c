import Tensor

// Inference fusion: convolution, eval-mode batch norm and activation in one pass.
//
// Run one after another, the three ops allocate three activation tensors of the same size (at
// 224 px and batch 32, ResNet-18's stem output alone is 102 MB), and the first two are garbage
// as soon as the next op has read them. Without a tape nothing else needs them, so the batch
// norm's per-channel affine map and the activation are applied in place on the convolution's
// fresh output instead: one activation tensor instead of three, and one pass less over memory.
// The arithmetic is the unfused ops' own, in the same order, so results are bit-identical.

/// The activation that a fused inference op applies in place.
public enum FusedActivation: Sendable, Equatable {
    /// No activation.
    case identity
    /// max(x, 0), as ``Tensor/relu()``.
    case relu
    /// min(max(x, 0), 6), as ``Tensor/relu6()``.
    case relu6

    /// The clamp `min(max(x, lower), upper)` that computes the activation: `max(x, −∞)` and
    /// `min(x, +∞)` return `x` unchanged (NaN included), so one loop serves all three.
    var bounds: (lower: Float, upper: Float) {
        switch self {
        case .identity: (-.infinity, .infinity)
        case .relu: (0, .infinity)
        case .relu6: (0, 6)
        }
    }

    /// The activation as the ordinary differentiable op (the path that records on the tape).
    func applied(to x: Tensor) -> Tensor {
        switch self {
        case .identity: x
        case .relu: x.relu()
        case .relu6: x.relu6()
        }
    }
}

/// A batch norm in evaluation mode, as the fixed per-channel affine map it is: its running
/// statistics, optional affine parameters and epsilon (the arguments of ``batchNorm(_:runningMean:runningVariance:weight:bias:training:momentum:epsilon:)``
/// with `training: false`).
public struct EvalBatchNorm {
    /// The running mean, `[C]`.
    public var runningMean: Tensor
    /// The running variance, `[C]`.
    public var runningVariance: Tensor
    /// The scale γ, `[C]`, or `nil` for 1.
    public var weight: Tensor?
    /// The shift β, `[C]`, or `nil` for 0.
    public var bias: Tensor?
    /// Added to the variance before the square root.
    public var epsilon: Float

    /// The normalization with the given statistics and affine parameters.
    public init(runningMean: Tensor, runningVariance: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5) {
        self.runningMean = runningMean
        self.runningVariance = runningVariance
        self.weight = weight
        self.bias = bias
        self.epsilon = epsilon
    }

    /// `scale = γ/√(var + ε)` and `shift = β − mean·scale` per channel, computed exactly as
    /// `batchNorm` computes them in eval mode, so that fused and unfused outputs agree bit for bit.
    func affine(channels: Int) -> (scale: [Float], shift: [Float]) {
        for (name, tensor) in [("runningMean", runningMean), ("runningVariance", runningVariance), ("weight", weight), ("bias", bias)] {
            guard let tensor else { continue }
            precondition(tensor.shape == [channels],
                         "convBatchNormActivation: batch-norm \(name) shape \(tensor.shape) does not match \(channels) output channels")
        }
        precondition(epsilon >= 0, "convBatchNormActivation: epsilon \(epsilon) must not be negative")
        return batchNormAffine(mean: runningMean.scalars, invStd: runningInverseStandardDeviation(runningVariance, epsilon: epsilon),
                               weight: weight, bias: bias)
    }
}

/// `activation(batchNorm(conv2d(input, …)))` with the batch norm in evaluation mode, computed
/// in one pass over the convolution's output when no gradient is recorded.
///
/// The arguments up to `groups` are those of ``conv2d(_:weight:bias:stride:padding:dilation:groups:)``.
/// When the tape would record (gradients are enabled and an input or parameter requires them),
/// the three ops run one after another exactly as unfused, so training and gradient-based
/// inspection (Grad-CAM) see no difference. Otherwise the affine map and the activation are
/// applied in place on the convolution's output: the same values, one activation tensor
/// instead of three.
///
/// - Parameters:
///   - normalization: the eval-mode batch norm after the convolution, or `nil` for none.
///   - activation: applied last.
public func convBatchNormActivation(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                                    padding: Padding2D = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1,
                                    normalization: EvalBatchNorm?, activation: FusedActivation) -> Tensor {
    var output = conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    if tapeWouldRecord([input, weight, bias, normalization?.weight, normalization?.bias]) {
        if let n = normalization {
            output = batchNorm(output, runningMean: n.runningMean, runningVariance: n.runningVariance, weight: n.weight,
                               bias: n.bias, training: false, epsilon: n.epsilon).output
        }
        return activation.applied(to: output)
    }
    guard normalization != nil || activation != .identity else { return output }
    let layout = ChannelLayout(output.shape, op: "convBatchNormActivation")
    let (scale, shift) = normalization?.affine(channels: layout.channels)
        ?? ([Float](repeating: 1, count: layout.channels), [Float](repeating: 0, count: layout.channels))
    // Nothing else holds the convolution's fresh output: this writes it in place, no copy.
    output.withUnsafeMutableBufferPointer { y in
        layout.affineInPlace(y.baseAddress!, scale: scale, shift: shift, bounds: activation.bounds)
    }
    return output
}

/// Whether an op with these inputs records on the tape (see ``Tensor/record(_:result:inputs:rule:)``):
/// the fused paths run only when it would not.
func tapeWouldRecord(_ inputs: [Tensor?]) -> Bool {
    GradientMode.isEnabled && inputs.contains { $0?.requiresGradient == true }
}

extension ChannelLayout {
    /// `y = min(max(y · scale[c] + shift[c], lower), upper)` in place, per channel, split over
    /// the cores (batch norm's `affine` followed by a clamp-shaped activation).
    func affineInPlace(_ y: UnsafeMutablePointer<Float>, scale: [Float], shift: [Float], bounds: (lower: Float, upper: Float)) {
        affine(from: y, into: y, scale: scale, shift: shift, bounds: bounds)
    }
}
