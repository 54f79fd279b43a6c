#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Image {
    /// Decodes a PNG, JPEG or DICOM file held in memory, recognizing the format by its signature.
    ///
    /// Safe on untrusted input (HTTP uploads): malformed data throws, never crashes, and the
    /// declared dimensions are checked against `limits` before pixel memory is allocated.
    /// Exif orientation is not applied (pixels come in stored order, as with Pillow's
    /// `Image.open`).
    ///
    /// - Parameters:
    ///   - bytes: the encoded file.
    ///   - limits: the largest image to accept.
    ///   - source: a file name or description for error messages, e.g. the upload's name.
    /// - Returns: 8-bit gray or RGB for JPEG; 8- or 16-bit gray, gray+alpha, RGB or RGBA
    ///   for PNG (palettes and bit depths below 8 expanded, transparency as alpha); for
    ///   DICOM, the first frame as 8-bit display values, gray or RGB (``DICOMImage`` also
    ///   gives the attributes used).
    public static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> Image {
        switch ImageFormat.detect(bytes) {
        case .png: return try PNGDecoder.decode(bytes, limits: limits, source: source)
        case .jpeg: return try JPEGDecoder.decode(bytes, limits: limits, source: source)
        case .dicom: return try DICOMDecoder.decode(bytes, limits: limits, source: source).image
        case nil: throw .unrecognizedFormat(source: source, detail: unrecognizedDetail(bytes))
        }
    }

    /// Decodes a PNG, JPEG or DICOM file from an array of bytes; see the `UnsafeRawBufferPointer` overload for details.
    public static func decode(_ bytes: [UInt8], limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> Image {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ImageCodecError) -> Image in try decode(buffer, limits: limits, source: source) }
        }
        return try result.get()
    }

    /// Decodes a PNG, JPEG or DICOM file from `Data`; see the `UnsafeRawBufferPointer` overload for details.
    public static func decode(_ data: Data, limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> Image {
        let result = data.withUnsafeBytes { buffer in
            Result { () throws(ImageCodecError) -> Image in try decode(buffer, limits: limits, source: source) }
        }
        return try result.get()
    }

    /// Reads and decodes the PNG, JPEG or DICOM file at `path` (the format comes from the content,
    /// not the extension). Errors name the file.
    public init(contentsOfFile path: String, limits: DecodingLimits = .default) throws(ImageCodecError) {
        let bytes = try ImageFile.contents(atPath: path)
        self = try Image.decode(bytes, limits: limits, source: path)
    }

    /// Reads and decodes the PNG, JPEG or DICOM file at a `file:` URL; see ``init(contentsOfFile:limits:)``.
    public init(contentsOf url: URL, limits: DecodingLimits = .default) throws(ImageCodecError) {
        guard url.isFileURL else {
            throw .fileUnreadable(path: url.absoluteString, reason: "only file URLs can be read; download the data and use Image.decode")
        }
        try self.init(contentsOfFile: url.path, limits: limits)
    }

    /// What the start of unrecognized data looks like, for the error message.
    private static func unrecognizedDetail(_ bytes: UnsafeRawBufferPointer) -> String {
        if bytes.isEmpty { return "the data is empty" }
        if let name = ImageFormat.nameOfUnsupportedFormat(bytes) { return "it looks like \(name)" }
        let hex = bytes.prefix(8).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + digits : digits
        }
        return "first bytes: " + hex.joined(separator: " ")
    }
}
