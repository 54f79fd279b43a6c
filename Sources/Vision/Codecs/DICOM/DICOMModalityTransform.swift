/// The modality transform applied to stored values (PS3.3 C.11.1).
public enum DICOMModalityTransform: Sendable, Equatable, CustomStringConvertible {
    /// Stored values are the modality values.
    case identity
    /// `value = stored × slope + intercept` (Rescale Slope/Intercept, 0028,1053/1052).
    case rescale(slope: Double, intercept: Double)
    /// The Modality LUT Sequence (0028,3000) table.
    case lookupTable(entryCount: Int, bitsPerEntry: Int)

    /// "identity", "rescale ×1.0 + -1024.0", "modality LUT (… entries, … bits)".
    public var description: String {
        switch self {
        case .identity: "identity"
        case .rescale(let slope, let intercept): "rescale ×\(slope) + \(intercept)"
        case .lookupTable(let count, let bits): "modality LUT (\(count) entries, \(bits) bits)"
        }
    }
}
