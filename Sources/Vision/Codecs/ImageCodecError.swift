/// Why an image could not be read, decoded or encoded.
///
/// Every decoding case carries the `source` (a file path, URL or upload name given by the
/// caller; `nil` for anonymous bytes), and ``description`` names it, so that a failure deep
/// inside a data loader says which of thousands of files was bad.
public enum ImageCodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes start with no signature of a supported format. `detail` names the format
    /// when it is a known unsupported one (GIF, WebP...), or shows the first bytes.
    case unrecognizedFormat(source: String?, detail: String)
    /// The data is damaged or not valid for its format; `message` is the codec's explanation.
    case corrupt(format: ImageFormat, source: String?, message: String)
    /// The declared dimensions exceed the decoding limits; nothing was allocated.
    case tooLarge(width: Int, height: Int, limits: DecodingLimits, source: String?)
    /// A valid file using a feature Fathom does not decode.
    case unsupported(format: ImageFormat, source: String?, message: String)
    /// The image cannot be stored in the chosen format (for example alpha in a JPEG), or the
    /// encoder failed.
    case cannotEncode(format: ImageFormat, message: String)
    /// Memory ran out inside a codec.
    case outOfMemory(format: ImageFormat, source: String?)
    /// The file could not be read (missing, a directory, no permission...).
    case fileUnreadable(path: String, reason: String)
    /// The file could not be written.
    case fileUnwritable(path: String, reason: String)
    /// An argument outside its valid range, such as a JPEG quality of 0.
    case invalidArgument(String)

    /// A one-line explanation that names the file or source.
    public var description: String {
        switch self {
        case .unrecognizedFormat(let source, let detail):
            "\(Self.name(source)) is not a PNG or JPEG image or a DICOM file (\(detail))"
        case .corrupt(let format, let source, let message):
            "\(Self.name(source)) is not a valid \(format) image: \(message)"
        case .tooLarge(let width, let height, let limits, let source):
            "\(Self.name(source)) declares a \(width)×\(height) image, over the decoding limit of \(limits) "
                + "(raise DecodingLimits if this is expected)"
        case .unsupported(let format, let source, let message):
            "\(Self.name(source)) uses a \(format) feature Fathom does not decode: \(message)"
        case .cannotEncode(let format, let message):
            "cannot encode the image as \(format): \(message)"
        case .outOfMemory(let format, let source):
            "\(Self.name(source)): out of memory in the \(format) codec"
        case .fileUnreadable(let path, let reason):
            "cannot read image file '\(path)': \(reason)"
        case .fileUnwritable(let path, let reason):
            "cannot write image file '\(path)': \(reason)"
        case .invalidArgument(let message):
            message
        }
    }

    /// The source as it appears in messages.
    private static func name(_ source: String?) -> String {
        source.map { "'\($0)'" } ?? "image data"
    }
}
