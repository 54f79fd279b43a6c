import PneumoniaKit

/// The answer of `POST /api/v1/predict`.
public struct Prediction: Codable, Sendable, Equatable {
    /// The predicted class name (`NORMAL` or `PNEUMONIA`) at the model's threshold.
    public var label: String
    /// The pneumonia probability, exactly what ``PneumoniaKit/Classifier/probability(of:)`` gives.
    public var probability: Float
    /// Whether `probability` is calibrated (the run's temperature scaling) or the raw score.
    public var calibrated: Bool
    /// The decision threshold the label was chosen with.
    public var threshold: Float
    /// The model's ``ModelCard/id``.
    public var model: String
    /// Milliseconds from the complete upload to the answer: queueing, decoding, inference and
    /// the heat map, without network time; to the microsecond.
    public var latencyMilliseconds: Double
    /// The Grad-CAM overlay as a base64 PNG, when asked for with `?heatmap=1`.
    public var heatmapPNGBase64: String?
    /// For a DICOM upload, the fields its picture came from (never a patient's).
    public var dicom: DICOMSummary?

    /// A prediction from its fields.
    public init(label: String, probability: Float, calibrated: Bool, threshold: Float, model: String, latencyMilliseconds: Double,
                heatmapPNGBase64: String? = nil, dicom: DICOMSummary? = nil) {
        self.label = label
        self.probability = probability
        self.calibrated = calibrated
        self.threshold = threshold
        self.model = model
        self.latencyMilliseconds = latencyMilliseconds
        self.heatmapPNGBase64 = heatmapPNGBase64
        self.dicom = dicom
    }

    enum CodingKeys: String, CodingKey {
        case label, probability, calibrated, threshold, model
        case dicom
        case latencyMilliseconds = "latency_ms", heatmapPNGBase64 = "heatmap_png_base64"
    }
}
