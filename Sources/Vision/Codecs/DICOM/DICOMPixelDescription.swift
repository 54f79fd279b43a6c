/// The Image Pixel module (PS3.3 C.7.6.3): how the samples of the pixel data are laid out,
/// read from the data set and validated before any pixel memory is allocated.
struct DICOMPixelDescription {
    /// How a pixel's samples are to be interpreted.
    enum Photometric: String {
        case monochrome1 = "MONOCHROME1"
        case monochrome2 = "MONOCHROME2"
        case rgb = "RGB"
        /// Luminance and chrominance, accepted only inside JPEG, which libjpeg-turbo turns into RGB.
        case ybrFull = "YBR_FULL"
        case ybrFull422 = "YBR_FULL_422"

        /// Whether this is a one-sample grayscale interpretation.
        var isMonochrome: Bool { self == .monochrome1 || self == .monochrome2 }
    }

    let rows: Int
    let columns: Int
    let samplesPerPixel: Int
    let photometric: Photometric
    /// 0: samples interleaved per pixel; 1: one plane per sample.
    let planarConfiguration: Int
    let bitsAllocated: Int
    let bitsStored: Int
    let highBit: Int
    /// Whether stored values are two's complement.
    let isSigned: Bool
    let numberOfFrames: Int

    /// The number of samples in one frame.
    var samplesPerFrame: Int { rows * columns * samplesPerPixel }

    /// Reads and checks the module.
    ///
    /// Rows, Columns, BitsAllocated and PhotometricInterpretation are required; missing
    /// SamplesPerPixel follows the photometric interpretation, BitsStored defaults to
    /// BitsAllocated, HighBit to BitsStored − 1, PixelRepresentation to 0 (unsigned) and
    /// NumberOfFrames to 1.
    init(_ dataSet: DICOMDataSet, transferSyntax: DICOMTransferSyntax, limits: DecodingLimits) throws(DICOMProblem) {
        guard let photometricName = dataSet.string(.photometricInterpretation) else {
            throw .corrupt("the required element PhotometricInterpretation \(DICOMTag.photometricInterpretation) is missing")
        }
        guard let photometric = Photometric(rawValue: photometricName) else {
            throw .unsupported("PhotometricInterpretation '\(photometricName)' (Fathom decodes MONOCHROME1, MONOCHROME2 and RGB)")
        }
        if !photometric.isMonochrome && photometric != .rgb && !(transferSyntax == .jpegBaseline || transferSyntax == .jpegExtended) {
            throw .unsupported("PhotometricInterpretation '\(photometricName)' outside JPEG pixel data")
        }
        let rows = try dataSet.requiredInteger(.rows, name: "Rows")
        let columns = try dataSet.requiredInteger(.columns, name: "Columns")
        guard rows > 0, columns > 0 else { throw .corrupt("the image is empty (\(columns)×\(rows))") }
        guard limits.allows(width: columns, height: rows) else { throw .tooLarge(width: columns, height: rows) }

        let samples = try dataSet.integer(.samplesPerPixel) ?? (photometric.isMonochrome ? 1 : 3)
        guard samples == (photometric.isMonochrome ? 1 : 3) else {
            throw .corrupt("SamplesPerPixel is \(samples) for PhotometricInterpretation \(photometricName)")
        }
        let bitsAllocated = try dataSet.requiredInteger(.bitsAllocated, name: "BitsAllocated")
        guard bitsAllocated == 8 || bitsAllocated == 16 else {
            throw .unsupported("BitsAllocated \(bitsAllocated) (Fathom decodes 8 and 16)")
        }
        let bitsStored = try dataSet.integer(.bitsStored) ?? bitsAllocated
        guard (1...bitsAllocated).contains(bitsStored) else {
            throw .corrupt("BitsStored \(bitsStored) is outside 1...\(bitsAllocated) (BitsAllocated)")
        }
        let highBit = try dataSet.integer(.highBit) ?? bitsStored - 1
        guard (bitsStored - 1..<bitsAllocated).contains(highBit) else {
            throw .corrupt("HighBit \(highBit) does not fit BitsStored \(bitsStored) in BitsAllocated \(bitsAllocated)")
        }
        let representation = try dataSet.integer(.pixelRepresentation) ?? 0
        guard representation == 0 || representation == 1 else {
            throw .corrupt("PixelRepresentation is \(representation), expected 0 (unsigned) or 1 (signed)")
        }
        guard representation == 0 || photometric.isMonochrome else {
            throw .unsupported("signed (PixelRepresentation 1) colour samples")
        }
        let frames = try dataSet.integer(.numberOfFrames) ?? 1
        guard frames >= 1 else { throw .corrupt("NumberOfFrames is \(frames)") }
        let planar = samples > 1 ? (try dataSet.integer(.planarConfiguration) ?? 0) : 0
        guard planar == 0 || planar == 1 else { throw .corrupt("PlanarConfiguration is \(planar), expected 0 or 1") }

        (self.rows, self.columns, self.samplesPerPixel, self.photometric) = (rows, columns, samples, photometric)
        (self.planarConfiguration, self.bitsAllocated, self.bitsStored) = (planar, bitsAllocated, bitsStored)
        (self.highBit, self.isSigned, self.numberOfFrames) = (highBit, representation == 1, frames)
    }

    /// The stored value of a raw sample: the `bitsStored` bits ending at `highBit`, sign
    /// extended when signed (PS3.5 8.1.1). Bits outside them (overlays, garbage) are dropped.
    func storedValue(_ raw: UInt32) -> Int32 {
        let shifted = raw >> UInt32(highBit + 1 - bitsStored)
        let mask = UInt32((1 << bitsStored) - 1)
        let value = Int32(shifted & mask)
        if isSigned && value & Int32(1 << (bitsStored - 1)) != 0 { return value - Int32(1 << bitsStored) }
        return value
    }
}
