/// A DICOM transfer syntax: how the data set and its pixel data are encoded (PS3.5 chapter 10).
///
/// Fathom decodes the uncompressed syntaxes, deflate, JPEG baseline/extended (8-bit, through
/// libjpeg-turbo) and RLE lossless; ``init(uid:)`` refuses the others with an error that
/// names them.
public enum DICOMTransferSyntax: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Implicit VR little endian, the default (1.2.840.10008.1.2).
    case implicitVRLittleEndian = "1.2.840.10008.1.2"
    /// Explicit VR little endian (1.2.840.10008.1.2.1).
    case explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    /// Deflated explicit VR little endian: the data set after the file meta is raw deflate
    /// (1.2.840.10008.1.2.1.99).
    case deflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
    /// Explicit VR big endian, retired (1.2.840.10008.1.2.2).
    case explicitVRBigEndian = "1.2.840.10008.1.2.2"
    /// JPEG baseline, process 1, 8-bit lossy (1.2.840.10008.1.2.4.50).
    case jpegBaseline = "1.2.840.10008.1.2.4.50"
    /// JPEG extended, processes 2 and 4, 8- or 12-bit lossy (1.2.840.10008.1.2.4.51); Fathom
    /// decodes the 8-bit ones.
    case jpegExtended = "1.2.840.10008.1.2.4.51"
    /// RLE lossless (1.2.840.10008.1.2.5).
    case rleLossless = "1.2.840.10008.1.2.5"

    /// The transfer syntax with `uid`.
    ///
    /// - Throws: ``DICOMProblem/unsupported(_:)`` naming the UID, and its name when known.
    init(uid: String) throws(DICOMProblem) {
        guard let syntax = DICOMTransferSyntax(rawValue: uid) else {
            let name = Self.unsupportedNames[uid].map { " (\($0))" } ?? ""
            throw .unsupported("transfer syntax \(uid)\(name) is not decoded; Fathom decodes "
                + Self.allCases.map(\.name).joined(separator: ", "))
        }
        self = syntax
    }

    /// The UID, such as "1.2.840.10008.1.2.1".
    public var uid: String { rawValue }

    /// The standard name, such as "Explicit VR Little Endian".
    public var name: String {
        switch self {
        case .implicitVRLittleEndian: "Implicit VR Little Endian"
        case .explicitVRLittleEndian: "Explicit VR Little Endian"
        case .deflatedExplicitVRLittleEndian: "Deflated Explicit VR Little Endian"
        case .explicitVRBigEndian: "Explicit VR Big Endian"
        case .jpegBaseline: "JPEG Baseline (Process 1)"
        case .jpegExtended: "JPEG Extended (Process 2 & 4)"
        case .rleLossless: "RLE Lossless"
        }
    }

    /// "Explicit VR Little Endian (1.2.840.10008.1.2.1)".
    public var description: String { "\(name) (\(uid))" }

    /// How the data set is encoded (after inflating, for the deflated syntax).
    var encoding: DICOMEncoding {
        switch self {
        case .implicitVRLittleEndian: .implicitLittleEndian
        case .explicitVRBigEndian: .explicitBigEndian
        default: .explicitLittleEndian
        }
    }

    /// Whether the pixel data is encapsulated (compressed in fragments).
    var isEncapsulated: Bool { self == .jpegBaseline || self == .jpegExtended || self == .rleLossless }

    /// Names of well-known transfer syntaxes Fathom refuses, for the error message.
    static let unsupportedNames: [String: String] = [
        "1.2.840.10008.1.2.4.57": "JPEG Lossless, Non-Hierarchical (Process 14)",
        "1.2.840.10008.1.2.4.70": "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
        "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
        "1.2.840.10008.1.2.4.81": "JPEG-LS Lossy (Near-Lossless)",
        "1.2.840.10008.1.2.4.90": "JPEG 2000 Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.91": "JPEG 2000 Image Compression",
        "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component Image Compression",
        "1.2.840.10008.1.2.4.94": "JPIP Referenced",
        "1.2.840.10008.1.2.4.95": "JPIP Referenced Deflate",
        "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
        "1.2.840.10008.1.2.4.101": "MPEG2 Main Profile / High Level",
        "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile / Level 4.1",
        "1.2.840.10008.1.2.4.103": "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
        "1.2.840.10008.1.2.4.110": "JPEG XL Lossless",
        "1.2.840.10008.1.2.4.111": "JPEG XL JPEG Recompression",
        "1.2.840.10008.1.2.4.112": "JPEG XL",
        "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.202": "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000 Image Compression",
        "1.2.840.10008.1.2.8.1": "SMPTE ST 2110-20 Uncompressed Progressive Active Video",
    ]
}
