import ArgumentParser
import Foundation
import Logging
import PneumoniaKit
import PneumoniaServe

/// `pneumonia serve`: the model as an HTTP service with a web page.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a trained model over HTTP: a web page, POST /api/v1/predict, GET /api/v1/model, /openapi.json.",
        discussion: """
            Research use only; not a medical device. Stops gracefully on SIGINT (Ctrl-C) or SIGTERM: \
            no new connections, requests in flight finish.

            curl --data-binary @xray.jpeg -H 'Content-Type: image/jpeg' http://127.0.0.1:8080/api/v1/predict
            """)

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @Option(help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "Port (0: any free port, printed at start).")
    var port = 8080

    @Option(help: "Largest request body in megabytes (10^6 bytes); larger uploads get 413.")
    var maxBodyMb: Double = 20

    @Option(help: "Predictions computed at once (default: the core count).")
    var concurrency = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Predictions admitted at once, running or waiting; more get 503.")
    var queue = 64

    @Flag(help: "Report the network's raw score instead of the calibrated probability (the run's calibration).")
    var uncalibrated = false

    @Option(help: "Log format: text or json (one object per line).")
    var logFormat = LogFormat.text

    @Option(help: "Least severe log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = Logger.Level.info

    func validate() throws {
        guard maxBodyMb > 0, maxBodyMb <= 1000 else { throw ValidationError("--max-body-mb must be in (0, 1000]") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
        guard queue >= concurrency else { throw ValidationError("--queue must be at least --concurrency") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
    }

    func run() async throws {
        let level = logLevel
        let json = logFormat == .json
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "pneumonia.serve")

        let classifier = try Classifier(run: RunDirectory(URL(fileURLWithPath: model)), calibrated: !uncalibrated)
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxBodyBytes = Int(maxBodyMb * 1_000_000)
        configuration.maxConcurrentInferences = concurrency
        configuration.maxQueuedInferences = queue
        let server = PredictionServer(classifier: classifier, configuration: configuration, logger: logger)
        let card = server.service.card
        logger.info("model loaded", metadata: ["model": "\(card.id)", "run": "\(model)", "threshold": "\(card.threshold)", "calibrated": "\(card.calibrated)",
                                               "heatmap": "\(card.heatmap)"])
        let host = host
        try await server.run { port in
            logger.notice("listening", metadata: ["url": "http://\(host):\(port)/"])
        }
        logger.info("stopped")
    }
}
