/// How the elements of a data set are encoded: whether each element states its value
/// representation (explicit VR), and the byte order of binary values.
struct DICOMEncoding: Equatable, Sendable {
    /// Whether elements carry a two-letter VR.
    var explicitVR: Bool
    /// Whether binary values are little endian.
    var littleEndian: Bool

    /// Implicit VR little endian, the default transfer syntax.
    static let implicitLittleEndian = DICOMEncoding(explicitVR: false, littleEndian: true)
    /// Explicit VR little endian.
    static let explicitLittleEndian = DICOMEncoding(explicitVR: true, littleEndian: true)
    /// Explicit VR big endian (retired).
    static let explicitBigEndian = DICOMEncoding(explicitVR: true, littleEndian: false)
}
