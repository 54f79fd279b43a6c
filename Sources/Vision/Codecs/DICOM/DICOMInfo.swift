/// The non-identifying DICOM attributes Fathom used to display an image.
///
/// Only image-description attributes are ever read into this type: no patient, study,
/// institution or device identifiers (names, IDs, dates, UIDs of the instance) are parsed,
/// so printing or serializing it cannot leak them.
public struct DICOMInfo: Sendable, Equatable {
    /// The transfer syntax (from the file meta, or guessed for a file without one).
    public let transferSyntax: DICOMTransferSyntax
    /// Whether the file has a Part 10 file meta group stating its transfer syntax.
    public let hasFileMeta: Bool
    /// Modality (0008,0060), such as "CR", "DX", "CT", if present.
    public let modality: String?
    /// Photometric Interpretation (0028,0004): "MONOCHROME1", "MONOCHROME2", "RGB",
    /// "YBR_FULL" or "YBR_FULL_422" (JPEG only).
    public let photometricInterpretation: String
    /// Rows (0028,0010), the image height.
    public let rows: Int
    /// Columns (0028,0011), the image width.
    public let columns: Int
    /// Samples per Pixel (0028,0002): 1 or 3.
    public let samplesPerPixel: Int
    /// Bits Allocated (0028,0100): 8 or 16.
    public let bitsAllocated: Int
    /// Bits Stored (0028,0101).
    public let bitsStored: Int
    /// Whether stored values are signed (Pixel Representation 1).
    public let isSigned: Bool
    /// Number of Frames (0028,0008), 1 when absent; Fathom decodes the first.
    public let numberOfFrames: Int
    /// The modality transform applied to stored values.
    public let modalityTransform: DICOMModalityTransform
    /// How modality values became display values.
    public let displayMapping: DICOMDisplayMapping
    /// Whether display values were inverted (MONOCHROME1: low values are white).
    public var isInverted: Bool { photometricInterpretation == "MONOCHROME1" }
}
