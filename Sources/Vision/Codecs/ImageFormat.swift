/// An encoded image format that Fathom reads (and, for PNG and JPEG, writes).
public enum ImageFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable Network Graphics (lossless; 1–16 bits, gray, palette, colour, alpha).
    case png
    /// JPEG (lossy; 8-bit gray or colour).
    case jpeg
    /// DICOM (PS3.10), read only: the first frame as an 8-bit display image (see ``DICOMImage``).
    case dicom

    /// "PNG", "JPEG" or "DICOM".
    public var description: String { rawValue.uppercased() }

    /// The format whose signature begins `bytes`, or `nil`.
    ///
    /// Detection looks only at the content, never at a file name: uploads and mislabelled
    /// files (a PNG saved as `.jpg`) are common.
    public static func detect<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
        if bytes.starts(with: pngSignature) { return .png }
        // SOI followed by the first byte of another marker.
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        // A 128-byte preamble then "DICM", or a bare data set starting with group 0002/0008.
        let head = Array(bytes.prefix(132))
        let isDICOM = head.withUnsafeBytes { DICOMFileLayout.looksLikeDICOM(DICOMBytes(buffer: $0)) }
        return isDICOM ? .dicom : nil
    }

    /// The format conventionally named by a file extension ("png", "jpg", "jpeg", "jpe",
    /// any case), or `nil`. Used only to choose an *output* format.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg", "jpe", "jfif": self = .jpeg
        default: return nil
        }
    }

    /// The eight bytes every PNG file starts with.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A name for a few formats Fathom does not decode, so that the error can say
    /// "this is a GIF" rather than only "unrecognized".
    static func nameOfUnsupportedFormat<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        let signatures: [(prefix: [UInt8], name: String)] = [
            (Array("GIF8".utf8), "GIF"),
            (Array("BM".utf8), "BMP"),
            ([0x49, 0x49, 0x2A, 0x00], "TIFF"),
            ([0x4D, 0x4D, 0x00, 0x2A], "TIFF"),
            ([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20], "JPEG 2000"),
            (Array("%PDF".utf8), "PDF"),
            (Array("<".utf8), "text (HTML/XML?)"),
        ]
        for (prefix, name) in signatures where bytes.starts(with: prefix) { return name }
        let head = Array(bytes.prefix(12))
        if head.count == 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8) { return "WebP" }
        if head.count >= 12, head[4..<8].elementsEqual("ftyp".utf8) { return "HEIF/AVIF (ISO media)" }
        return nil
    }
}
