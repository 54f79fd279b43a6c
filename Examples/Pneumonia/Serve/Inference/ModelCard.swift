import Foundation
import PneumoniaKit

/// What a served model is, how it was trained and how well it did, in the spirit of
/// Mitchell et al.'s "Model Cards for Model Reporting" (2019): `GET /api/v1/model`, and the
/// card on the web page.
public struct ModelCard: Codable, Sendable, Equatable {
    /// How the model prepares an image.
    public struct Input: Codable, Sendable, Equatable {
        /// Side of the square model input in pixels.
        public var size: Int
        /// 1 (gray) or 3 channels.
        public var channels: Int
        /// How a non-square X-ray is made square (`center-crop-square` or `stretch`).
        public var geometry: String
    }

    /// Identifies the model in every prediction: `architecture@created`.
    public var id: String
    /// Zoo architecture name.
    public var architecture: String
    /// Trainable and buffer scalars of the network.
    public var parameters: Int
    /// Class names in output order.
    public var classes: [String]
    /// The class whose probability the API reports.
    public var positiveClass: String
    /// Probability at and above which an image is called the positive class, on the scale the
    /// server reports (calibrated or raw).
    public var threshold: Float
    /// Whether reported probabilities are calibrated on validation (``calibration``).
    public var calibrated: Bool
    /// The run's fitted calibration (`nil` when the run has none); reported even when the
    /// server was started with `--uncalibrated`.
    public var calibration: CalibrationSummary?
    /// How the threshold was chosen.
    public var thresholdRule: String
    /// Input preparation.
    public var input: Input
    /// What the training data is, by name: the card is public, so it never says where the data
    /// lives (``PneumoniaKit/RunDirectory/readMetadata()`` reduces older runs' paths to names).
    public var trainingData: String
    /// File name and checksum, or list hash, of the training data.
    public var dataFingerprint: String
    /// Validation metrics of the saved epoch (`auc`, `accuracy`, `sensitivity`, `specificity`,
    /// `f1`, `loss`, `n`); non-finite values are left out.
    public var validation: [String: Double]
    /// The saved epoch and the epochs run.
    public var bestEpoch: Int, epochsCompleted: Int
    /// Seconds of training.
    public var trainingSeconds: Double
    /// When the run started, ISO 8601.
    public var created: String
    /// Whether `?heatmap=1` can explain predictions with Grad-CAM.
    public var heatmap: Bool
    /// What the model is for.
    public var intendedUse: String
    /// What it must not be used for, and known weaknesses.
    public var limitations: [String]

    /// The card of a loaded classifier.
    public init(classifier: Classifier, heatmap: Bool) {
        let m = classifier.metadata
        id = "\(m.architecture)@\(m.created)"
        architecture = m.architecture
        parameters = classifier.model.parameterCount
        classes = m.classes
        positiveClass = m.classes[m.positiveClass]
        threshold = classifier.threshold
        calibrated = classifier.isCalibrated
        calibration = m.calibration.map { CalibrationSummary(method: $0.method.rawValue, temperature: $0.temperature, intercept: $0.intercept, fittedOn: $0.count) }
        thresholdRule = m.thresholdRule
        input = Input(size: m.preprocessing.imageSize, channels: m.preprocessing.channels, geometry: m.preprocessing.geometry.rawValue)
        trainingData = m.dataDescription
        dataFingerprint = m.dataFingerprint
        validation = m.validation.filter { $0.value.isFinite }
        bestEpoch = m.bestEpoch
        epochsCompleted = m.epochsCompleted
        trainingSeconds = m.trainingSeconds
        created = m.created
        self.heatmap = heatmap
        intendedUse = "Research and teaching: exploring how a convolutional network classifies frontal chest X-rays "
            + "as NORMAL or PNEUMONIA. Research use only; not a medical device. Not for diagnosis, triage or any clinical decision."
        limitations = [
            "Trained on one public pediatric data set (Kermany et al., 2018; patients aged 1 to 5 from one centre in Guangzhou); "
                + "performance on adults, other hospitals, scanners or populations is unknown.",
            "Sees only a downscaled image (\(m.preprocessing.imageSize)×\(m.preprocessing.imageSize) pixels): "
                + "fine findings are invisible to it.",
            "Validation metrics come from images of the training distribution, not from a prospective clinical study.",
            "Grad-CAM shows where the network's evidence lies, not where disease is; it can highlight text markers or borders.",
        ]
    }

    /// The calibration's parameters, as the card shows them.
    public struct CalibrationSummary: Codable, Sendable, Equatable {
        /// `platt` or `temperature`.
        public var method: String
        /// The log-odds are divided by this…
        public var temperature: Double
        /// …and this is added.
        public var intercept: Double
        /// Validation images it was fitted on.
        public var fittedOn: Int

        enum CodingKeys: String, CodingKey {
            case method, temperature, intercept
            case fittedOn = "fitted_on"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, architecture, parameters, classes, threshold, calibrated, calibration, input, validation, created, heatmap, limitations
        case positiveClass = "positive_class", thresholdRule = "threshold_rule", trainingData = "training_data"
        case dataFingerprint = "data_fingerprint", bestEpoch = "best_epoch", epochsCompleted = "epochs_completed"
        case trainingSeconds = "training_seconds", intendedUse = "intended_use"
    }
}
