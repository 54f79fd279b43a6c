import Foundation
import Hummingbird
import Logging

/// Gives every request an id and logs one structured line when it is answered.
///
/// The id is the client's `X-Request-ID` when it is a plausible id (1–128 characters of
/// letters, digits, `-`, `_`, `.`, `:`), so that a request can be followed across a proxy;
/// otherwise a fresh one (Hummingbird's `RequestID`: random prefix, counter). It is attached to the request's logger as `request_id`, so
/// every line logged while handling the request carries it, and is echoed in the response.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers.requestID.flatMap { Self.isPlausibleID($0) ? $0 : nil } ?? RequestID().description
        var context = context
        context.logger[metadataKey: "request_id"] = "\(id)"
        let start = ContinuousClock.now
        // The error middleware inside this one turns failures into responses; anything that
        // still escapes is logged here and answered by Hummingbird as a 500.
        do {
            var response = try await next(request, context)
            response.headers.requestID = id
            context.logger.log(level: response.status.code >= 500 ? .error : .info, "request", metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "duration_ms": "\(String(format: "%.2f", (ContinuousClock.now - start).milliseconds))",
            ])
            return response
        } catch {
            context.logger.error("request failed", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)",
                                                               "error": "\(error)"])
            throw error
        }
    }

    /// 1–128 characters of `[A-Za-z0-9._:-]`: safe to log and echo.
    static func isPlausibleID(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || [45, 46, 58, 95].contains(byte)
        }
    }
}

extension HTTPFields {
    /// The `X-Request-ID` field.
    var requestID: String? {
        get { self[.init("X-Request-ID")!] }
        set { self[.init("X-Request-ID")!] = newValue }
    }
}
