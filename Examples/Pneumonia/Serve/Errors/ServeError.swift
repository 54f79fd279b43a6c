import Foundation
import Hummingbird
import Vision

/// Why the server could not answer a request as asked: an HTTP status and the JSON body
/// `{"error": code, "detail": message}` that every failure of the API has, so that a client
/// can branch on `error` and show `detail` to a person.
public struct ServeError: Error, Sendable, Equatable, CustomStringConvertible, HTTPResponseError {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code, such as `payload_too_large`.
    public var code: String
    /// A sentence for people, naming what was wrong.
    public var detail: String
    /// Extra response headers (`Allow`, `Retry-After`).
    public var headers: HTTPFields

    /// An error with a status, a code and a detail.
    public init(_ status: HTTPResponse.Status, code: String, detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
    }

    /// "413 payload_too_large: …", for logs.
    public var description: String { "\(status.code) \(code): \(detail)" }

    /// The JSON error response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(ErrorBody(error: code, detail: detail), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// The wire format of every API error.
    struct ErrorBody: Encodable {
        let error: String
        let detail: String
    }
}

extension ServeError {
    /// The body is larger than the server accepts (413).
    public static func payloadTooLarge(limit: Int) -> ServeError {
        ServeError(.contentTooLarge, code: "payload_too_large",
                   detail: "the request body is larger than the limit of \(ByteCount(limit)) (see --max-body-mb)")
    }

    /// The request's media type is not one the route accepts (415).
    public static func unsupportedMediaType(_ given: String?, accepted: [String]) -> ServeError {
        ServeError(.unsupportedMediaType, code: "unsupported_media_type",
                   detail: "Content-Type \(given.map { "'\($0)'" } ?? "is missing"); send one of \(accepted.joined(separator: ", "))")
    }

    /// The body is not a decodable PNG, JPEG or DICOM file, or declares dimensions over the limits (422).
    public static func undecodableImage(_ error: ImageCodecError) -> ServeError {
        if case .tooLarge = error {
            return ServeError(.unprocessableContent, code: "image_too_large", detail: error.description)
        }
        return ServeError(.unprocessableContent, code: "invalid_image", detail: error.description)
    }

    /// A multipart body that cannot be parsed or holds no file (400).
    public static func malformedMultipart(_ reason: String) -> ServeError {
        ServeError(.badRequest, code: "malformed_multipart", detail: reason)
    }

    /// A query parameter with a value the route does not understand (400).
    public static func invalidParameter(_ name: String, value: String, expected: String) -> ServeError {
        ServeError(.badRequest, code: "invalid_parameter", detail: "\(name)=\(value) is not valid; expected \(expected)")
    }

    /// The model cannot explain its predictions with Grad-CAM (400).
    public static func heatmapUnavailable(architecture: String) -> ServeError {
        ServeError(.badRequest, code: "heatmap_unavailable",
                   detail: "Grad-CAM heat maps are not available for \(architecture); call without ?heatmap=1")
    }

    /// No route has this path (404).
    public static func notFound(path: String) -> ServeError {
        ServeError(.notFound, code: "not_found", detail: "no route \(path); see /openapi.json")
    }

    /// The path exists but not with this method (405).
    public static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> ServeError {
        ServeError(.methodNotAllowed, code: "method_not_allowed",
                   detail: "\(method) is not allowed on \(path); use \(allowed.joined(separator: " or "))",
                   headers: [.allow: allowed.joined(separator: ", ")])
    }

    /// Too many predictions are already waiting (503); the client should retry shortly.
    public static func busy(queued: Int) -> ServeError {
        ServeError(.serviceUnavailable, code: "busy",
                   detail: "\(queued) predictions are already waiting; retry in a moment", headers: [.retryAfter: "1"])
    }

    /// A failure inside the server that the client could not have caused (500).
    public static func internalError(_ reason: String) -> ServeError {
        ServeError(.internalServerError, code: "internal_error", detail: reason)
    }
}

/// A byte count printed as people read it ("20 MB"), in decimal megabytes as `--max-body-mb` is.
struct ByteCount: CustomStringConvertible {
    let bytes: Int
    init(_ bytes: Int) { self.bytes = bytes }
    var description: String {
        bytes >= 1_000_000 && bytes % 1_000_000 == 0 ? "\(bytes / 1_000_000) MB" : "\(bytes) bytes"
    }
}
