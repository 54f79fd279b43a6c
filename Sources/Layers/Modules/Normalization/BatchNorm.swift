import Tensor

/// Batch normalization over the channel axis 1 (Ioffe & Szegedy, 2015; PyTorch's
/// `_BatchNorm`): the shared implementation of ``BatchNorm1D`` and ``BatchNorm2D``.
///
/// In training mode it normalizes with the batch statistics and moves the running statistics
/// towards them by `momentum` (`running = (1 − momentum)·running + momentum·batch`, unbiased
/// variance, as PyTorch); in eval mode it normalizes with the running statistics. State names
/// are PyTorch's: `weight`, `bias`, `running_mean`, `running_var`.
public class BatchNorm: Module {
    /// The per-channel scale γ (initially 1), or `nil` when not affine.
    public let weight: Parameter?
    /// The per-channel shift β (initially 0), or `nil` when not affine.
    public let bias: Parameter?
    /// The running mean (initially 0), or `nil` when running statistics are not tracked.
    public let runningMean: Buffer?
    /// The running variance (initially 1), or `nil` when running statistics are not tracked.
    public let runningVariance: Buffer?
    /// The weight of the newest batch in the running statistics.
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// The input ranks the subclass accepts, for the precondition message.
    private let acceptedRanks: [Int]

    /// PyTorch's `running_var` is not the snake_case of `runningVariance`.
    public override class var propertyKeys: [String: String] { ["runningVariance": "running_var"] }

    init(featureCount: Int, momentum: Float, epsilon: Float, affine: Bool, tracksRunningStatistics: Bool,
         acceptedRanks: [Int]) {
        precondition(featureCount > 0, "BatchNorm: feature count \(featureCount) must be positive")
        weight = affine ? Parameter(Tensor.ones([featureCount])) : nil
        bias = affine ? Parameter(Tensor.zeros([featureCount])) : nil
        runningMean = tracksRunningStatistics ? Buffer(Tensor.zeros([featureCount])) : nil
        runningVariance = tracksRunningStatistics ? Buffer(Tensor.ones([featureCount])) : nil
        self.momentum = momentum
        self.epsilon = epsilon
        self.acceptedRanks = acceptedRanks
    }

    /// The number of channels normalized.
    public var featureCount: Int { (weight?.shape ?? runningMean?.shape ?? [0])[0] }

    /// The normalized input; in training mode also updates the running statistics.
    public override func forward(_ input: Tensor) -> Tensor {
        normalized(input, activation: .identity)
    }

    /// `activation(self(input))` as one op (see
    /// ``batchNorm(_:runningMean:runningVariance:weight:bias:training:momentum:epsilon:activation:adding:)``):
    /// how ``FusedModel`` runs a batch norm followed by a ReLU.
    func normalized(_ input: Tensor, activation: FusedActivation) -> Tensor {
        precondition(acceptedRanks.contains(input.rank),
                     "\(type(of: self)): expected an input of rank \(acceptedRanks.map(String.init).joined(separator: " or ")), got shape \(input.shape)")
        // Without running statistics every pass uses the batch's own, as PyTorch does.
        let usesBatchStatistics = isTraining || runningMean == nil || runningVariance == nil
        let channels = input.shape[1]
        let result = batchNorm(input, runningMean: runningMean?.value ?? Tensor.zeros([channels]),
                               runningVariance: runningVariance?.value ?? Tensor.ones([channels]),
                               weight: weight?.value, bias: bias?.value, training: usesBatchStatistics,
                               momentum: momentum, epsilon: epsilon, activation: activation,
                               batchStatistics: usesBatchStatistics ? replayedBatchStatistics(of: input) : nil)
        guard let runningMean, let runningVariance else { return result.output }
        if isTraining && !Recomputation.isReplay {  // a checkpoint's replay must not count the batch twice
            runningMean.value = result.updatedMean
            runningVariance.value = result.updatedVariance
        }
        return result.output
    }

    /// Inside a checkpointed region, the batch's statistics: computed in the first pass and
    /// reused by the replay (the same values, two passes over the input fewer); else `nil`.
    private func replayedBatchStatistics(of input: Tensor) -> (mean: [Double], variance: [Double])? {
        guard let region = Recomputation.current else { return nil }
        let computed = region.phase == .forward ? ChannelLayout(input.shape, op: "BatchNorm").meanAndVariance(of: input) : nil
        return region.replayedState(for: self, computed)
    }
}

/// Batch normalization of `[N, C]` or `[N, C, L]` inputs (PyTorch's `nn.BatchNorm1d`).
public final class BatchNorm1D: BatchNorm {
    /// Normalization of `featureCount` channels.
    /// - Parameters:
    ///   - momentum: the weight of each new batch in the running statistics.
    ///   - epsilon: added to the variance for stability.
    ///   - affine: whether to learn a per-channel scale and shift.
    ///   - tracksRunningStatistics: whether to keep running statistics for eval mode.
    public init(_ featureCount: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true,
                tracksRunningStatistics: Bool = true) {
        super.init(featureCount: featureCount, momentum: momentum, epsilon: epsilon, affine: affine,
                   tracksRunningStatistics: tracksRunningStatistics, acceptedRanks: [2, 3])
    }
}

/// Batch normalization of `[N, C, H, W]` inputs (PyTorch's `nn.BatchNorm2d`).
public final class BatchNorm2D: BatchNorm {
    /// Normalization of `featureCount` channels.
    /// - Parameters:
    ///   - momentum: the weight of each new batch in the running statistics.
    ///   - epsilon: added to the variance for stability.
    ///   - affine: whether to learn a per-channel scale and shift.
    ///   - tracksRunningStatistics: whether to keep running statistics for eval mode.
    public init(_ featureCount: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true,
                tracksRunningStatistics: Bool = true) {
        super.init(featureCount: featureCount, momentum: momentum, epsilon: epsilon, affine: affine,
                   tracksRunningStatistics: tracksRunningStatistics, acceptedRanks: [4])
    }
}
