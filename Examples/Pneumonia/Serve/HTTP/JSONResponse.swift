import Foundation
import Hummingbird

/// Builds the JSON responses of the API: one encoder configuration, so that every route writes
/// the same key order and number format.
enum JSONResponse {
    /// `value` as `application/json` with sorted keys.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do { data = try encoder.encode(value) } catch {
            // Only non-finite numbers can fail, and the API's types filter them out first.
            data = Data(#"{"error":"internal_error","detail":"the response could not be encoded"}"#.utf8)
            return raw(data, contentType: "application/json", status: .internalServerError)
        }
        return raw(data, contentType: "application/json", status: status)
    }

    /// Bytes with a content type; responses are never cached, since they describe one request.
    static func raw(_ data: some Sequence<UInt8>, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status,
                 headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
