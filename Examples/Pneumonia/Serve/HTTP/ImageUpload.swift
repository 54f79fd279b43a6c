import Hummingbird

/// An image sent to `POST /api/v1/predict`: the raw body (`image/png`, `image/jpeg`,
/// `application/dicom`) or the
/// file field of a `multipart/form-data` form.
///
/// The content type is checked before a byte of the body is read, and the body is read only up
/// to the limit, so a hostile client can neither make the server buffer an unbounded upload nor
/// waste its time on a type it will refuse.
struct ImageUpload {
    /// The encoded image (a zero-copy slice of the body).
    let bytes: ByteBuffer
    /// The file name a form gave, for error messages.
    let filename: String?

    /// Media types the route accepts, for 415 messages.
    static let acceptedTypes = ["image/png", "image/jpeg", "application/dicom", "multipart/form-data"]

    /// Reads the image from `request`, refusing bodies over `maxBytes`.
    static func read(from request: Request, maxBytes: Int) async throws(ServeError) -> ImageUpload {
        let header = request.headers[.contentType]
        guard let type = header.flatMap(MediaType.init) else {
            throw .unsupportedMediaType(header, accepted: acceptedTypes)
        }
        let boundary = type.essence == "multipart/form-data" ? type.parameters["boundary"] : nil
        guard type.isSupportedImage || boundary != nil else {
            throw .unsupportedMediaType(header, accepted: acceptedTypes)
        }
        // A declared length over the limit is refused before reading anything.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBytes {
            throw .payloadTooLarge(limit: maxBytes)
        }
        let body = try await collect(request.body, upTo: maxBytes)
        guard let boundary else { return ImageUpload(bytes: body, filename: nil) }

        let form = try MultipartFormData(body: body, boundary: boundary)
        guard let part = form.imagePart else {
            throw .malformedMultipart("the form has no file; send the image in a field named 'image'")
        }
        if let declared = part.contentType, let partType = MediaType(declared),
           !partType.isSupportedImage, partType.essence != "application/octet-stream" {
            throw .unsupportedMediaType(declared, accepted: ["image/png", "image/jpeg", "application/dicom"])
        }
        return ImageUpload(bytes: part.body, filename: part.filename)
    }

    /// The body in one buffer, as `collect(upTo:)` does, but stopping at the first fragment
    /// past `maxBytes` with the API's own error (chunked uploads have no length to check first).
    private static func collect(_ body: RequestBody, upTo maxBytes: Int) async throws(ServeError) -> ByteBuffer {
        var collected = ByteBuffer()
        do {
            for try await fragment in body {
                guard fragment.readableBytes <= maxBytes - collected.readableBytes else {
                    throw ServeError.payloadTooLarge(limit: maxBytes)
                }
                if collected.readableBytes == 0 { collected = fragment } else { collected.writeImmutableBuffer(fragment) }
            }
        } catch let error as ServeError {
            throw error
        } catch {
            throw ServeError(.badRequest, code: "incomplete_body", detail: "the request body could not be read: \(error)")
        }
        return collected
    }
}
