import Foundation
import Hummingbird
import Logging
import PneumoniaKit
import ServiceLifecycle
import UnixSignals
import Vision

/// How `pneumonia serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind; `127.0.0.1` keeps the service on this machine.
    public var host = "127.0.0.1"
    /// The port; 0 lets the system choose one (the bound port is passed to `onServerRunning`).
    public var port = 8080
    /// The largest request body read, in bytes (20 MB); larger uploads get 413.
    public var maxBodyBytes = 20_000_000
    /// Predictions computed at once.
    public var maxConcurrentInferences = ProcessInfo.processInfo.activeProcessorCount
    /// Predictions admitted at once (running plus waiting); more get 503.
    public var maxQueuedInferences = 64
    /// The largest image an upload may declare: 50 megapixels, 16384 per side — above any
    /// digital radiograph, far below a decompression bomb.
    public var decodingLimits = DecodingLimits(maxPixels: 50_000_000, maxDimension: 16_384)
    /// Seconds a connection may stay silent (idle, or stalled mid-upload) before it is closed.
    public var idleTimeoutSeconds: Int64 = 60

    /// The defaults.
    public init() {}
}

/// The HTTP service of `pneumonia serve`, on Hummingbird 2:
///
/// - `GET /` — a page to drop an X-ray on and see the prediction, heat map and model card;
/// - `POST /api/v1/predict` — an image (raw PNG/JPEG/DICOM body or multipart form) to a prediction;
/// - `GET /api/v1/model` — the model card; `GET /healthz`; `GET /openapi.json`.
///
/// Every error is JSON `{error, detail}`; every request gets an id and a log line.
public struct PredictionServer: Sendable {
    /// The model behind the API.
    public let service: PredictionService
    /// Listening and limits.
    public let configuration: ServerConfiguration
    /// Where the server and each request log.
    public let logger: Logger

    /// Every route the server answers (HEAD is answered wherever GET is); the OpenAPI document
    /// lists exactly these.
    public static let routes: [ServeRoute] = [
        ServeRoute(method: "GET", path: "/"),
        ServeRoute(method: "GET", path: "/healthz"),
        ServeRoute(method: "GET", path: "/openapi.json"),
        ServeRoute(method: "GET", path: "/api/v1/model"),
        ServeRoute(method: "POST", path: "/api/v1/predict"),
    ]

    /// A server for `service`.
    public init(service: PredictionService, configuration: ServerConfiguration, logger: Logger) {
        self.service = service
        self.configuration = configuration
        self.logger = logger
    }

    /// A server for `classifier`, with a ``PredictionService`` set up from `configuration`.
    public init(classifier: Classifier, configuration: ServerConfiguration, logger: Logger) {
        let service = PredictionService(classifier: classifier, decodingLimits: configuration.decodingLimits,
                                        maxConcurrentInferences: configuration.maxConcurrentInferences,
                                        maxQueuedInferences: configuration.maxQueuedInferences)
        self.init(service: service, configuration: configuration, logger: logger)
    }

    /// Runs until one of `gracefulShutdownSignals` arrives (or the group is shut down): then
    /// stops accepting connections and lets requests in flight finish.
    /// - Parameter onServerRunning: called with the bound port once the server listens.
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
        try await serviceGroup(gracefulShutdownSignals: gracefulShutdownSignals, onServerRunning: onServerRunning).run()
    }

    /// The server as a ServiceLifecycle group, for callers that stop it themselves with
    /// `triggerGracefulShutdown()` (tests, or a process running other services).
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal] = [],
                             onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) -> ServiceGroup {
        let application = Application(
            router: makeRouter(),
            server: .http1(configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "fathom-pneumonia"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        return ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: gracefulShutdownSignals,
                                                 logger: logger))
    }

    /// The routes, behind the request-log and error middleware.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ErrorMiddleware(routes: Self.routes))
        let service = service, maxBodyBytes = configuration.maxBodyBytes

        let page = WebPage.document(maxBodyBytes: maxBodyBytes)
        router.get("/") { _, _ in WebPage.response(page) }
        router.get("/healthz") { _, _ in
            JSONResponse.make(Health(status: "ok", model: service.card.id, admittedPredictions: service.admittedPredictions))
        }
        router.get("/openapi.json") { _, _ in JSONResponse.raw(Data(OpenAPIDocument.json.utf8), contentType: "application/json") }
        router.get("/api/v1/model") { _, _ in JSONResponse.make(service.card) }
        router.post("/api/v1/predict") { request, context in
            // Everything that can be refused without the body is refused first.
            let heatmap = try Self.flag("heatmap", request.uri.queryParameters["heatmap"])
            if heatmap, !service.card.heatmap { throw ServeError.heatmapUnavailable(architecture: service.card.architecture) }
            let upload = try await ImageUpload.read(from: request, maxBytes: maxBodyBytes)
            let prediction = try await service.predict(upload.bytes, heatmap: heatmap, source: upload.filename)
            context.logger.info("prediction", metadata: [
                "label": "\(prediction.label)", "probability": "\(prediction.probability)",
                "bytes": "\(upload.bytes.readableBytes)", "latency_ms": "\(String(format: "%.1f", prediction.latencyMilliseconds))",
            ])
            return JSONResponse.make(prediction)
        }
        return router
    }

    /// A boolean query flag: absent, `0`, `false` or `no` is off; bare, `1`, `true` or `yes` is on.
    static func flag(_ name: String, _ value: Substring?) throws(ServeError) -> Bool {
        guard let value else { return false }
        switch value.lowercased() {
        case "0", "false", "no": return false
        case "", "1", "true", "yes": return true  // a bare `?heatmap` asks for it
        default: throw .invalidParameter(name, value: String(value), expected: "1 or 0")
        }
    }
}

/// The answer of `GET /healthz`.
struct Health: Encodable {
    let status: String
    let model: String
    let admittedPredictions: Int

    enum CodingKeys: String, CodingKey {
        case status, model, admittedPredictions = "admitted_predictions"
    }
}
