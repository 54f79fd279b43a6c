import Foundation
import Hummingbird
import Logging

/// Turns every failure below it into the API's JSON error: ``ServeError``s as they are,
/// Hummingbird's 404 into 404 or 405 (when the path exists with another method), and anything
/// unexpected into a 500 whose detail names the request id, never the internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route, to tell 404 from 405.
    let routes: [ServeRoute]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServeError {
            context.logger.notice("refused", metadata: ["status": "\(error.status.code)", "error": "\(error.code)",
                                                        "detail": "\(error.detail)"])
            return try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            let allowed = routes.filter { $0.path == path }.map(\.method)
            let mapped: ServeError = allowed.isEmpty ? .notFound(path: path)
                : .methodNotAllowed("\(request.method)", path: path, allowed: allowed)
            return try mapped.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let mapped = ServeError(error.status, code: error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
                                    detail: "\(error)")
            return try mapped.response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return try ServeError.internalError("unexpected server error (request id \(context.logger[metadataKey: "request_id"] ?? "?"))")
                .response(from: request, context: context)
        }
    }
}

/// A method and path the server answers.
public struct ServeRoute: Sendable, Hashable, CustomStringConvertible {
    /// `GET`, `POST`.
    public let method: String
    /// The path, such as `/api/v1/predict`.
    public let path: String

    /// "POST /api/v1/predict".
    public var description: String { "\(method) \(path)" }
}
