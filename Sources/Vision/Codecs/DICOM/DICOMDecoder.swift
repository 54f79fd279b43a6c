/// Decodes a DICOM file (PS3.10) into its display image; see ``DICOMImage``.
enum DICOMDecoder {
    /// Decodes `bytes`, naming `source` in errors.
    static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodingLimits,
                       source: String?) throws(ImageCodecError) -> DICOMImage {
        do throws(DICOMProblem) {
            let file = DICOMBytes(buffer: bytes)
            let layout = try DICOMFileLayout(file)
            guard layout.transferSyntax == .deflatedExplicitVRLittleEndian else {
                return try decodeDataSet(file, from: layout.dataSetStart, layout: layout, limits: limits)
            }
            let inflated = try DICOMInflater.inflate(UnsafeRawBufferPointer(rebasing: bytes[layout.dataSetStart...]),
                                                     maximumCount: limits.maxInflatedBytes)
            let result = inflated.withUnsafeBytes { buffer in
                Result { () throws(DICOMProblem) -> DICOMImage in
                    try decodeDataSet(DICOMBytes(buffer: buffer), from: 0, layout: layout, limits: limits)
                }
            }
            return try result.get()
        } catch {
            throw error.codecError(limits: limits, source: source)
        }
    }

    /// Parses the data set starting at `start` and renders its first frame.
    private static func decodeDataSet(_ bytes: DICOMBytes, from start: Int, layout: DICOMFileLayout,
                                      limits: DecodingLimits) throws(DICOMProblem) -> DICOMImage {
        let reader = DICOMDataSetReader(bytes: bytes, maximumDepth: limits.maxNestingDepth)
        let (dataSet, _) = try reader.readDataSet(from: start, to: bytes.count, encoding: layout.encoding, depth: 0,
                                                  endsAtItemDelimiter: false)
        guard dataSet[.pixelData] != nil else {
            throw .corrupt("no PixelData \(DICOMTag.pixelData): this DICOM file holds no image (Modality \(dataSet.string(.modality) ?? "none"))")
        }
        let description = try DICOMPixelDescription(dataSet, transferSyntax: layout.transferSyntax, limits: limits)
        let display = try DICOMDisplay(dataSet, description: description)
        let stored = try DICOMPixelData.firstFrame(dataSet, description: description, transferSyntax: layout.transferSyntax,
                                                   limits: limits)
        let (pixels, mapping) = display.render(stored)
        let image = Image(width: description.columns, height: description.rows,
                          colorModel: description.samplesPerPixel == 1 ? .gray : .rgb, pixels: pixels)
        let info = DICOMInfo(
            transferSyntax: layout.transferSyntax, hasFileMeta: layout.hasFileMeta, modality: dataSet.string(.modality),
            photometricInterpretation: description.photometric.rawValue, rows: description.rows, columns: description.columns,
            samplesPerPixel: description.samplesPerPixel, bitsAllocated: description.bitsAllocated,
            bitsStored: description.bitsStored, isSigned: description.isSigned, numberOfFrames: description.numberOfFrames,
            modalityTransform: display.modalityTransform, displayMapping: mapping)
        return DICOMImage(image: image, info: info)
    }
}
