import Foundation
import Hummingbird
import PneumoniaKit
import Vision

/// The model behind the HTTP API: decodes an upload within limits, runs the classifier and,
/// on request, Grad-CAM — off the request's task, at most `maxConcurrentInferences` at a time.
///
/// Concurrent predictions share one ``PneumoniaKit/Classifier``: its model is in eval mode
/// and forward passes run without the tape, so they only read parameters; Grad-CAM takes
/// gradients with `Tensor.gradients(withRespectTo:)` and never writes to the model either.
public final class PredictionService: Sendable {
    /// The loaded model.
    public let classifier: Classifier
    /// The model card served at `/api/v1/model`.
    public let card: ModelCard
    /// The largest image an upload may declare.
    public let decodingLimits: DecodingLimits
    private let gradCAM: GradCAM?
    private let limiter: InferenceLimiter

    /// A service for `classifier`.
    /// - Parameters:
    ///   - decodingLimits: uploads declaring more pixels are refused before any allocation.
    ///   - maxConcurrentInferences: predictions computed at once (the core count is right for
    ///     CPU inference: more only adds contention).
    ///   - maxQueuedInferences: predictions admitted at once, running or waiting; beyond that
    ///     the service answers 503 rather than holding more uploads in memory.
    public init(classifier: Classifier, decodingLimits: DecodingLimits, maxConcurrentInferences: Int,
                maxQueuedInferences: Int) {
        self.classifier = classifier
        self.decodingLimits = decodingLimits
        gradCAM = try? GradCAM(classifier: classifier)
        card = ModelCard(classifier: classifier, heatmap: gradCAM != nil)
        limiter = InferenceLimiter(concurrency: maxConcurrentInferences,
                                   queueLimit: max(maxQueuedInferences, maxConcurrentInferences))
    }

    /// Predictions admitted now (running or waiting), for `/healthz`.
    public var admittedPredictions: Int { limiter.admitted }

    /// Label and probability of an encoded image (PNG, JPEG or DICOM), with a Grad-CAM overlay if asked.
    /// - Parameter source: the upload's file name, for error messages.
    public func predict(_ bytes: ByteBuffer, heatmap: Bool, source: String? = nil) async throws(ServeError) -> Prediction {
        if heatmap, gradCAM == nil { throw .heatmapUnavailable(architecture: card.architecture) }
        let start = ContinuousClock.now
        let (classifier, gradCAM, limits, card) = (classifier, gradCAM, decodingLimits, card)
        let outcome = await limiter.run { () -> Result<Prediction, ServeError> in
            Result { () throws(ServeError) -> Prediction in
                let decoded = bytes.withUnsafeReadableBytes { buffer in
                    Result { () throws(ImageCodecError) -> InputImage in try InputImage.decode(buffer, limits: limits, source: source) }
                }
                let input: InputImage
                switch decoded {
                case .success(let decodedInput): input = decodedInput
                case .failure(let error): throw .undecodableImage(error)
                }
                let image = input.image
                let probability = classifier.probability(of: image)
                var overlay: String?
                if heatmap, let gradCAM {
                    // zlib's fastest level: at the default (6) deflating the overlay took three
                    // quarters of a heat-map request (4.1× the requests/s now); the answer grows
                    // by 12 % (346 against 308 KB for a 448-px overlay).
                    do { overlay = Data(try gradCAM.overlay(for: image).pngData(compressionLevel: 1)).base64EncodedString() } catch {
                        throw .internalError("the heat map could not be made: \(error)")
                    }
                }
                return Prediction(label: classifier.label(for: probability), probability: probability, calibrated: classifier.isCalibrated,
                                  threshold: classifier.threshold, model: card.id,
                                  latencyMilliseconds: ((ContinuousClock.now - start).milliseconds * 1000).rounded() / 1000,
                                  heatmapPNGBase64: overlay, dicom: input.dicom)
            }
        }
        guard let outcome else { throw .busy(queued: limiter.queueLimit) }
        return try outcome.get()
    }
}
