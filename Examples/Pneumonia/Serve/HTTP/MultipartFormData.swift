import Foundation
import Hummingbird

/// The parts of a `multipart/form-data` body (RFC 7578 over RFC 2046), as browsers, curl and
/// Python's requests send it: enough to find an uploaded file.
///
/// The body is already bounded by the server's size limit; parts are zero-copy slices of it.
/// Hostile shapes (no closing boundary, endless headers, thousands of parts) are rejected
/// with ``ServeError/malformedMultipart(_:)`` rather than parsed at length.
struct MultipartFormData {
    /// One part: its headers (names lowercased) and its content.
    struct Part {
        /// Header values by lowercased name.
        var headers: [String: String]
        /// The content, a slice of the body.
        var body: ByteBuffer

        /// The `name` of the form field, from `Content-Disposition`.
        var name: String? { dispositionParameters["name"] }
        /// The `filename` of an uploaded file, from `Content-Disposition`.
        var filename: String? { dispositionParameters["filename"] }
        /// The declared media type of the part, if any.
        var contentType: String? { headers["content-type"] }

        private var dispositionParameters: [String: String] {
            // `form-data; name="image"; filename="x.png"` parses as a media type would.
            MediaType("form-data/x; " + (headers["content-disposition"].map { $0.drop { $0 != ";" }.dropFirst() } ?? ""))?
                .parameters ?? [:]
        }
    }

    /// The parts, in order.
    let parts: [Part]

    /// Most parts and most header bytes per part accepted: far above any real form.
    static let maxParts = 64, maxHeaderBytes = 16 * 1024

    /// Splits `body` at `boundary` (the `boundary` parameter of the Content-Type).
    init(body: ByteBuffer, boundary: String) throws(ServeError) {
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else {
            throw .malformedMultipart("the boundary parameter must have 1 to 200 characters")
        }
        let delimiter = Array(("--" + boundary).utf8)
        let bytes = body.readableBytesView
        let base = bytes.startIndex
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            bytes.withContiguousStorageIfAvailable { buffer in ByteSearch.firstIndex(of: needle, in: buffer, from: start) } ?? nil
        }
        // The first delimiter opens the body or follows a preamble's line break.
        guard var position = bytes.starts(with: delimiter) ? 0 : find([13, 10] + delimiter, from: 0).map({ $0 + 2 }) else {
            throw .malformedMultipart("the body does not contain the boundary '\(boundary)'")
        }
        var parts: [Part] = []
        let crlf: [UInt8] = [13, 10]
        while true {
            var cursor = position + delimiter.count
            if bytes.count - cursor >= 2, bytes[base + cursor] == 45, bytes[base + cursor + 1] == 45 { break }  // "--": the end
            // Skip transport padding, then the line break that ends the delimiter line.
            while cursor < bytes.count, bytes[base + cursor] == 32 || bytes[base + cursor] == 9 { cursor += 1 }
            guard bytes.count - cursor >= 2, bytes[base + cursor] == 13, bytes[base + cursor + 1] == 10 else {
                throw .malformedMultipart("a boundary line is not followed by a line break")
            }
            cursor += 2
            guard let headerEnd = find(crlf + crlf, from: cursor - 2) else {
                throw .malformedMultipart("a part's headers never end")
            }
            guard headerEnd - cursor <= Self.maxHeaderBytes else { throw .malformedMultipart("a part's headers are too long") }
            let headers = Self.parseHeaders(bytes[(base + cursor)..<(base + max(cursor, headerEnd))])
            let contentStart = headerEnd + 4
            guard let next = find(crlf + delimiter, from: contentStart) else {
                throw .malformedMultipart("the body ends before the closing boundary '--\(boundary)--'")
            }
            parts.append(Part(headers: headers, body: body.getSlice(at: body.readerIndex + contentStart, length: next - contentStart)!))
            guard parts.count <= Self.maxParts else { throw .malformedMultipart("more than \(Self.maxParts) parts") }
            position = next + 2
        }
        self.parts = parts
    }

    /// `Name: value` lines; lines without a colon are ignored, as are folded continuations.
    private static func parseHeaders(_ block: some Collection<UInt8>) -> [String: String] {
        var headers: [String: String] = [:]
        for line in String(decoding: block, as: UTF8.self).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].trimmingWhitespace().lowercased()] = line[line.index(after: colon)...].trimmingWhitespace()
        }
        return headers
    }

    /// The part that carries the uploaded image: the field named `image` or `file`, else the
    /// first part with a file name, else the only part.
    var imagePart: Part? {
        parts.first { ["image", "file"].contains($0.name ?? "") }
            ?? parts.first { $0.filename != nil }
            ?? (parts.count == 1 ? parts[0] : nil)
    }
}

/// Substring search over raw bytes: `memchr` to the next candidate first byte, `memcmp` there.
///
/// Every needle the parser looks for (`CRLF--boundary`, `CRLFCRLF`) holds one carriage return
/// and starts with it, and a boundary cannot contain one, so the stretches compared at two
/// candidates never overlap: a body crafted full of near-boundaries still costs linear time.
enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `haystack` at or after `start`.
    static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, start >= 0, let base = haystack.baseAddress else { return nil }
        return needle.withUnsafeBytes { pattern in
            var i = start
            while haystack.count - i >= pattern.count {
                guard let hit = memchr(base + i, Int32(first), haystack.count - pattern.count + 1 - i) else { return nil }
                i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if memcmp(base + i, pattern.baseAddress!, pattern.count) == 0 { return i }
                i += 1
            }
            return nil
        }
    }
}
