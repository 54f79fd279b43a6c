/// Divides the learning rate by a factor when a monitored metric stops improving (PyTorch's
/// `ReduceLROnPlateau`). Unlike the other schedules it depends on the history of the metric,
/// so it is a stateful value: call ``observe(_:)`` once per epoch and read ``learningRate``.
///
/// Its state saves with the optimizer's: put ``stateMetadata(key:)`` in the checkpoint's
/// metadata and restore it with ``loadState(metadata:key:)``.
public struct ReduceOnPlateau: Codable, Equatable, Sendable {
    /// Whether lower or higher metric values are better.
    public enum Mode: String, Codable, Sendable {
        /// A loss: lower is better.
        case minimize
        /// An accuracy: higher is better.
        case maximize
    }

    /// How ``threshold`` measures a significant improvement.
    public enum ThresholdMode: String, Codable, Sendable {
        /// Better than `best · (1 ∓ threshold)`.
        case relative
        /// Better than `best ∓ threshold`.
        case absolute
    }

    /// The current rate.
    public private(set) var learningRate: Float
    /// Whether lower or higher is better.
    public var mode: Mode
    /// The multiplier applied when the metric plateaus.
    public var factor: Float
    /// The number of epochs without improvement tolerated before reducing.
    public var patience: Int
    /// The smallest improvement that counts.
    public var threshold: Double
    /// How ``threshold`` is applied.
    public var thresholdMode: ThresholdMode
    /// The number of epochs to wait after a reduction before counting bad epochs again.
    public var cooldown: Int
    /// The rate never goes below this.
    public var minimum: Float
    /// Reductions smaller than this are skipped.
    public var epsilon: Float

    /// The best metric seen so far (`nil` before the first observation).
    public private(set) var best: Double?
    /// The number of consecutive epochs without improvement.
    public private(set) var badEpochs = 0
    /// The remaining cooldown epochs.
    public private(set) var cooldownRemaining = 0

    /// A plateau scheduler starting at `learningRate`, with PyTorch's defaults.
    public init(learningRate: Float, mode: Mode = .minimize, factor: Float = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative, cooldown: Int = 0,
                minimum: Float = 0, epsilon: Float = 1e-8) {
        precondition(factor < 1, "ReduceOnPlateau: factor must be below 1, got \(factor)")
        precondition(patience >= 0 && cooldown >= 0, "ReduceOnPlateau: negative patience or cooldown")
        self.learningRate = learningRate
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minimum = minimum
        self.epsilon = epsilon
    }

    /// Records one epoch's metric and reduces the rate if it has not improved for more than
    /// ``patience`` epochs. Returns whether the rate was reduced.
    @discardableResult
    public mutating func observe(_ metric: Float) -> Bool {
        let current = Double(metric)
        if isImprovement(current) {
            best = current
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownRemaining > 0 {
            cooldownRemaining -= 1
            badEpochs = 0
        }
        guard badEpochs > patience else { return false }
        cooldownRemaining = cooldown
        badEpochs = 0
        let reduced = max(Double(learningRate) * Double(factor), Double(minimum))
        guard Double(learningRate) - reduced > Double(epsilon) else { return false }
        learningRate = Float(reduced)
        return true
    }

    private func isImprovement(_ value: Double) -> Bool {
        guard let best else { return mode == .minimize ? value < .infinity : value > -.infinity }
        switch (mode, thresholdMode) {
        case (.minimize, .relative): return value < best * (1 - threshold)
        case (.minimize, .absolute): return value < best - threshold
        case (.maximize, .relative): return value > best * (threshold + 1)
        case (.maximize, .absolute): return value > best + threshold
        }
    }

    /// The scheduler's state as JSON under `key`, to store next to ``Optimizer/stateMetadata()``.
    public func stateMetadata(key: String = "scheduler") -> [String: String] {
        [key: StateJSON.encode(self)]
    }

    /// Restores the state saved by ``stateMetadata(key:)``.
    ///
    /// - Throws: ``OptimizerStateError`` when the entry is missing or malformed.
    public mutating func loadState(metadata: [String: String], key: String = "scheduler") throws(OptimizerStateError) {
        self = try StateJSON.decode(ReduceOnPlateau.self, key: key, in: metadata)
    }
}
