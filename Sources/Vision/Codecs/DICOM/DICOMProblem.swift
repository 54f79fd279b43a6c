/// What went wrong inside the DICOM parser, before the file name is known to the message.
///
/// The parser throws these; ``DICOMDecoder`` turns them into ``ImageCodecError`` cases that
/// name the source.
enum DICOMProblem: Error {
    /// The data is damaged: a length past the end, a missing required element, an
    /// inconsistent pixel description.
    case corrupt(String)
    /// A valid file using a feature Fathom does not decode.
    case unsupported(String)
    /// The declared image is larger than the decoding limits.
    case tooLarge(width: Int, height: Int)

    /// The public error, naming `source`.
    func codecError(limits: DecodingLimits, source: String?) -> ImageCodecError {
        switch self {
        case .corrupt(let message): .corrupt(format: .dicom, source: source, message: message)
        case .unsupported(let message): .unsupported(format: .dicom, source: source, message: message)
        case .tooLarge(let width, let height): .tooLarge(width: width, height: height, limits: limits, source: source)
        }
    }
}
