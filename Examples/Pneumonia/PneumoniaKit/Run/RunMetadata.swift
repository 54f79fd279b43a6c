import Foundation

/// What a run directory says about its model: enough to rebuild it, prepare inputs exactly as
/// in training, and explain where it came from.
public struct RunMetadata: Codable, Sendable, Equatable {
    /// Zoo architecture name (`compact-cnn`, `resnet18`, …).
    public var architecture: String
    /// Class names in output order.
    public var classes: [String]
    /// How images become inputs.
    public var preprocessing: Preprocessing
    /// The views each image is scored on (`nil`: the image alone; runs written before this
    /// option existed decode as `nil`).
    public var testTimeAugmentation: TestTimeAugmentation?
    /// Probability of pneumonia at and above which an image is called pneumonia.
    public var threshold: Float
    /// How the threshold was chosen (documentation for the model card).
    public var thresholdRule: String
    /// The calibration fitted on validation at the end of training; the threshold is on its
    /// calibrated scale. `nil`: probabilities are the network's raw scores (`--calibration none`,
    /// runs stopped before training finished, or written before calibration existed).
    public var calibration: ProbabilityCalibration?
    /// Validation metrics of the saved (best) epoch.
    public var validation: [String: Double]
    /// The epoch whose weights are saved (1-based) and the epochs run so far.
    public var bestEpoch: Int, epochsCompleted: Int
    /// Seed of every random choice.
    public var seed: UInt64
    /// Identifies the training data: file name and MD5 for NPZ, or a hash of the file list.
    public var dataFingerprint: String
    /// What the data is, for the model card: named (``DataName``), never located by its path.
    public var dataDescription: String
    /// The full training configuration.
    public var configuration: TrainingConfiguration
    /// Seconds of training so far.
    public var trainingSeconds: Double
    /// Creation time, ISO 8601.
    public var created: String

    /// Index of the positive class.
    public var positiveClass: Int { classes.firstIndex(of: "PNEUMONIA") ?? 1 }
}
