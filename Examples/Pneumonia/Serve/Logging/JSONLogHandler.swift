import Foundation
import Logging

/// A swift-log handler writing one JSON object per line to standard output — what log
/// collectors (Loki, CloudWatch, `jq`) read without parsing rules:
///
/// ```json
/// {"level":"info","logger":"pneumonia.serve","message":"request","method":"POST","path":"/api/v1/predict",
///  "request_id":"…","status":"200","duration_ms":"41.20","time":"2026-05-01T10:00:00.123Z"}
/// ```
///
/// Metadata keys become top-level keys (arrays and dictionaries stay nested); the handler's
/// own keys `time`, `level`, `logger`, `message` win over metadata of the same name.
public struct JSONLogHandler: LogHandler {
    /// Metadata attached to every line of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Contextual metadata (task-local values) added to every line.
    public var metadataProvider: Logger.MetadataProvider?
    /// The least severe level written.
    public var logLevel: Logger.Level = .info
    private let label: String
    private let output: LineWriter

    /// A handler for the logger `label`, writing to standard output.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
        output = LineWriter.standardOutput
    }

    /// The metadata value of `metadataKey`.
    public subscript(metadataKey metadataKey: String) -> Logger.Metadata.Value? {
        get { metadata[metadataKey] }
        set { metadata[metadataKey] = newValue }
    }

    /// Writes `event` as one line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var object = merged.mapValues(Self.plain)
        object["level"] = event.level.rawValue
        object["logger"] = label
        object["message"] = event.message.description
        if let error = event.error { object["error"] = "\(error)" }
        output.write(object)
    }

    /// A metadata value as a JSON-serializable value.
    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(plain)
        case .dictionary(let values): values.mapValues(plain)
        }
    }
}

/// Serializes JSON lines from any thread onto one stream, whole lines at a time.
final class LineWriter: @unchecked Sendable {
    /// The process's standard output.
    static let standardOutput = LineWriter()

    private let lock = NSLock()
    private let clock = ISO8601DateFormatter()

    private init() {
        clock.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    }

    /// Adds `time` and writes `object` as one line.
    func write(_ object: [String: Any]) {
        lock.withLock {
            var object = object
            object["time"] = clock.string(from: Date())
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                ?? Data(#"{"level":"error","message":"unserializable log line"}"#.utf8)
            FileHandle.standardOutput.write(data + Data([10]))
        }
    }
}
