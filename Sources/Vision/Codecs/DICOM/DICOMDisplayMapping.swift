/// How modality values were mapped to 8-bit display values (reported in ``DICOMInfo``).
public enum DICOMDisplayMapping: Sendable, Equatable, CustomStringConvertible {
    /// The first window of Window Center/Width (0028,1050/1051) with its VOI LUT Function
    /// ("LINEAR", "LINEAR_EXACT" or "SIGMOID").
    case window(center: Double, width: Double, function: String)
    /// The first VOI LUT Sequence (0028,3010) item's table.
    case lookupTable(entryCount: Int, bitsPerEntry: Int)
    /// No usable VOI: the smallest to the largest modality value of the frame, linearly.
    case minMax(minimum: Double, maximum: Double)
    /// Colour: each sample scaled from 0…2^bitsStored − 1 (identity for 8-bit samples).
    case sampleRange(bitsStored: Int)

    /// "window 600/1600 (LINEAR)", "VOI LUT (4096 entries, 12 bits)", "min-max -1024…1200",
    /// "8-bit samples".
    public var description: String {
        switch self {
        case .window(let center, let width, let function): "window \(center)/\(width) (\(function))"
        case .lookupTable(let count, let bits): "VOI LUT (\(count) entries, \(bits) bits)"
        case .minMax(let minimum, let maximum): "min-max \(minimum)…\(maximum)"
        case .sampleRange(let bits): "\(bits)-bit samples"
        }
    }
}
