import Foundation
import Vision

/// An X-ray as `predict` and `serve` read it: the decoded picture and, for a DICOM file, the
/// non-identifying fields its display values came from (``DICOMSummary``).
public struct InputImage: Sendable {
    /// The picture, as a viewer shows it (DICOM: after the modality and VOI transforms).
    public let image: Image
    /// What was used to display a DICOM file; `nil` for PNG and JPEG.
    public let dicom: DICOMSummary?

    private init(image: Image, dicom: DICOMSummary?) {
        self.image = image
        self.dicom = dicom
    }

    /// Reads and decodes `path` (PNG, JPEG or DICOM). Errors name the file.
    public init(contentsOfFile path: String, limits: DecodingLimits = .default) throws(ImageCodecError) {
        let bytes = try ImageFile.contents(atPath: path)
        self = try Self.decode(bytes, limits: limits, source: path)
    }

    /// Decodes encoded bytes; `source` names them in errors.
    public static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> InputImage {
        guard ImageFormat.detect(bytes) == .dicom else {
            return InputImage(image: try Image.decode(bytes, limits: limits, source: source), dicom: nil)
        }
        let dicom = try DICOMImage.decode(bytes, limits: limits, source: source)
        return InputImage(image: dicom.image, dicom: DICOMSummary(dicom.info))
    }

    /// Decodes an array of encoded bytes; see the `UnsafeRawBufferPointer` overload.
    public static func decode(_ bytes: [UInt8], limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> InputImage {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ImageCodecError) -> InputImage in try decode(buffer, limits: limits, source: source) }
        }
        return try result.get()
    }
}

/// The DICOM fields `predict --json` and `serve` report: how the pixels became the picture the
/// model saw. Only technical fields — Fathom never parses a patient-identifying tag.
public struct DICOMSummary: Codable, Sendable, Equatable {
    /// Modality (0008,0060), e.g. `DX`, `CR`.
    public var modality: String?
    /// `MONOCHROME1` (inverted for display), `MONOCHROME2` or `RGB`.
    public var photometricInterpretation: String
    /// Bits stored per sample, and whether samples are signed.
    public var bitsStored: Int, signed: Bool
    /// Rows and columns of the image.
    public var rows: Int, columns: Int
    /// Frames in the file (only the first is read).
    public var frames: Int
    /// The transfer syntax's name.
    public var transferSyntax: String
    /// The modality transform (`identity`, `rescale ×… + …`, `modality LUT …`).
    public var modalityTransform: String
    /// How values became 8-bit display values (`window C/W (LINEAR)`, `VOI LUT …`, `min-max …`).
    public var display: String

    /// The summary of a decoded file's fields.
    public init(_ info: DICOMInfo) {
        modality = info.modality
        photometricInterpretation = info.photometricInterpretation
        bitsStored = info.bitsStored
        signed = info.isSigned
        rows = info.rows
        columns = info.columns
        frames = info.numberOfFrames
        transferSyntax = info.transferSyntax.name
        modalityTransform = info.modalityTransform.description
        display = info.displayMapping.description
    }

    /// The summary as a JSON object, for `predict --json`: its `Codable` form (snake-case keys,
    /// as `serve` answers), so the two cannot drift apart.
    public var jsonObject: [String: Any] {
        (try? JSONEncoder().encode(self)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
    }

    enum CodingKeys: String, CodingKey {
        case modality, signed, rows, columns, frames, display
        case photometricInterpretation = "photometric_interpretation", bitsStored = "bits_stored"
        case transferSyntax = "transfer_syntax", modalityTransform = "modality_transform"
    }
}
