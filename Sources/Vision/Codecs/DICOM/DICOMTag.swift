/// A DICOM attribute tag, (group, element), such as (0028,0010) Rows.
struct DICOMTag: Hashable, Sendable, CustomStringConvertible {
    /// The group number.
    let group: UInt16
    /// The element number within the group.
    let element: UInt16

    /// "(0028,0010)".
    var description: String { "(\(Self.hex(group)),\(Self.hex(element)))" }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    // File meta information.
    static let transferSyntaxUID = DICOMTag(group: 0x0002, element: 0x0010)
    // Identification (not identifying the patient).
    static let modality = DICOMTag(group: 0x0008, element: 0x0060)
    // Image pixel module.
    static let samplesPerPixel = DICOMTag(group: 0x0028, element: 0x0002)
    static let photometricInterpretation = DICOMTag(group: 0x0028, element: 0x0004)
    static let planarConfiguration = DICOMTag(group: 0x0028, element: 0x0006)
    static let numberOfFrames = DICOMTag(group: 0x0028, element: 0x0008)
    static let rows = DICOMTag(group: 0x0028, element: 0x0010)
    static let columns = DICOMTag(group: 0x0028, element: 0x0011)
    static let bitsAllocated = DICOMTag(group: 0x0028, element: 0x0100)
    static let bitsStored = DICOMTag(group: 0x0028, element: 0x0101)
    static let highBit = DICOMTag(group: 0x0028, element: 0x0102)
    static let pixelRepresentation = DICOMTag(group: 0x0028, element: 0x0103)
    // Modality LUT and VOI LUT modules.
    static let windowCenter = DICOMTag(group: 0x0028, element: 0x1050)
    static let windowWidth = DICOMTag(group: 0x0028, element: 0x1051)
    static let rescaleIntercept = DICOMTag(group: 0x0028, element: 0x1052)
    static let rescaleSlope = DICOMTag(group: 0x0028, element: 0x1053)
    static let voiLUTFunction = DICOMTag(group: 0x0028, element: 0x1056)
    static let modalityLUTSequence = DICOMTag(group: 0x0028, element: 0x3000)
    static let lutDescriptor = DICOMTag(group: 0x0028, element: 0x3002)
    static let lutData = DICOMTag(group: 0x0028, element: 0x3006)
    static let voiLUTSequence = DICOMTag(group: 0x0028, element: 0x3010)
    static let pixelData = DICOMTag(group: 0x7FE0, element: 0x0010)
    // Delimitation of items and sequences (PS3.5 7.5).
    static let item = DICOMTag(group: 0xFFFE, element: 0xE000)
    static let itemDelimiter = DICOMTag(group: 0xFFFE, element: 0xE00D)
    static let sequenceDelimiter = DICOMTag(group: 0xFFFE, element: 0xE0DD)

    /// The sequences whose first item the decoder reads; every other sequence is skipped.
    static let sequencesRead: Set<DICOMTag> = [modalityLUTSequence, voiLUTSequence]

    /// The value representation of the tags the decoder reads, for implicit VR data sets,
    /// which do not store it. Other tags are skipped by length and need none.
    static let implicitVR: [DICOMTag: String] = [
        transferSyntaxUID: "UI", modality: "CS", samplesPerPixel: "US", photometricInterpretation: "CS",
        planarConfiguration: "US", numberOfFrames: "IS", rows: "US", columns: "US", bitsAllocated: "US",
        bitsStored: "US", highBit: "US", pixelRepresentation: "US", windowCenter: "DS", windowWidth: "DS",
        rescaleIntercept: "DS", rescaleSlope: "DS", voiLUTFunction: "CS", modalityLUTSequence: "SQ",
        lutDescriptor: "US", lutData: "US", voiLUTSequence: "SQ", pixelData: "OW",
    ]
}
