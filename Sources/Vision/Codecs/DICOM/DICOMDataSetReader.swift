/// Parses the elements of a DICOM data set (PS3.5 chapter 7): tags, value representations,
/// lengths, sequences with defined or undefined length, and encapsulated pixel data.
///
/// Every length is checked against the bytes that remain before anything is read, and
/// sequences may nest at most ``maximumDepth`` levels, so a hostile file ends in a
/// ``DICOMProblem`` rather than a crash, a deep recursion or a large allocation. Sequences
/// other than ``DICOMTag/sequencesRead`` are walked (when their length is undefined) or
/// skipped (when it is defined) without keeping their contents.
struct DICOMDataSetReader {
    /// The bytes holding the data set.
    let bytes: DICOMBytes
    /// The deepest sequence nesting accepted.
    let maximumDepth: Int

    /// The 4-byte length meaning "undefined".
    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    /// VRs whose explicit header has two reserved bytes and a 4-byte length (PS3.5 7.1.2).
    static let longVRs: Set<String> = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]

    /// Reads a data set from `start` to `end`; a nested item's data set (`inItem`) may end
    /// early at an item delimiter.
    ///
    /// - Returns: the data set and the offset just past it (past the delimiter, if any).
    func readDataSet(from start: Int, to end: Int, encoding: DICOMEncoding, depth: Int,
                     endsAtItemDelimiter: Bool) throws(DICOMProblem) -> (DICOMDataSet, next: Int) {
        var dataSet = DICOMDataSet(bytes: bytes, encoding: encoding)
        var offset = start
        while offset < end {
            guard end - offset >= 8 else {
                throw .corrupt("the data set ends with a truncated element header at offset \(offset)")
            }
            let tag = bytes.tag(at: offset, littleEndian: encoding.littleEndian)
            if tag == .itemDelimiter {
                guard endsAtItemDelimiter else { throw .corrupt("unexpected item delimiter \(tag) at offset \(offset)") }
                return (dataSet, offset + 8)
            }
            if tag == .sequenceDelimiter && depth == 0 {
                offset += 8  // a stray delimiter after the pixel data, left by some writers
                continue
            }
            guard tag.group != 0xFFFE else { throw .corrupt("unexpected item tag \(tag) at offset \(offset) outside a sequence") }
            let (element, next) = try readElement(tag: tag, at: offset, end: end, encoding: encoding, depth: depth)
            if depth == 0 || DICOMTag.implicitVR[tag] != nil { dataSet.elements[tag] = element }
            offset = next
        }
        if endsAtItemDelimiter {
            throw .corrupt("a sequence item of undefined length has no item delimiter before the end of the data")
        }
        return (dataSet, offset)
    }

    /// An element header: the VR (from the file, or ``DICOMTag/implicitVR``, else "UN"), the
    /// raw 4-byte length and where the value starts.
    struct Header {
        let vr: String
        let rawLength: UInt32
        let valueOffset: Int
    }

    /// Reads the header of the element at `offset`, whose tag is `tag`; `end - offset >= 8`.
    static func header(_ bytes: DICOMBytes, tag: DICOMTag, at offset: Int, end: Int,
                       encoding: DICOMEncoding) throws(DICOMProblem) -> Header {
        let little = encoding.littleEndian
        guard encoding.explicitVR else {
            return Header(vr: DICOMTag.implicitVR[tag] ?? "UN", rawLength: bytes.uint32(at: offset + 4, littleEndian: little),
                          valueOffset: offset + 8)
        }
        guard bytes.isVR(at: offset + 4) else {
            throw .corrupt("element \(tag) at offset \(offset) has no valid value representation (explicit VR expected)")
        }
        let vr = String(decoding: [bytes.byte(at: offset + 4), bytes.byte(at: offset + 5)], as: UTF8.self)
        guard longVRs.contains(vr) else {
            return Header(vr: vr, rawLength: UInt32(bytes.uint16(at: offset + 6, littleEndian: little)), valueOffset: offset + 8)
        }
        guard end - offset >= 12 else { throw .corrupt("element \(tag) at offset \(offset) has a truncated header") }
        return Header(vr: vr, rawLength: bytes.uint32(at: offset + 8, littleEndian: little), valueOffset: offset + 12)
    }

    /// Reads the element whose header starts at `offset`.
    private func readElement(tag: DICOMTag, at offset: Int, end: Int, encoding: DICOMEncoding,
                             depth: Int) throws(DICOMProblem) -> (DICOMElement, next: Int) {
        let header = try Self.header(bytes, tag: tag, at: offset, end: end, encoding: encoding)
        var vr = header.vr
        let (rawLength, valueOffset) = (header.rawLength, header.valueOffset)

        if rawLength == Self.undefinedLength {
            if tag == .pixelData {
                var element = DICOMElement(tag: tag, vr: vr, offset: valueOffset, length: nil)
                let (fragments, next) = try readFragments(from: valueOffset, to: end, encoding: encoding)
                element.fragments = fragments
                return (element, next)
            }
            // An undefined length marks a sequence: SQ, or UN/unknown whose content is
            // implicit VR little endian (PS3.5 6.2.2), as are unknown tags in implicit data.
            guard vr == "SQ" || vr == "UN" else {
                throw .corrupt("element \(tag) with VR \(vr) at offset \(offset) has an undefined length")
            }
            let itemEncoding = vr == "UN" && encoding.explicitVR ? DICOMEncoding.implicitLittleEndian : encoding
            if vr == "UN" { vr = "SQ" }
            var element = DICOMElement(tag: tag, vr: vr, offset: valueOffset, length: nil)
            let (items, next) = try readSequence(from: valueOffset, to: end, definedLength: false, encoding: itemEncoding,
                                                 depth: depth + 1, keepItems: DICOMTag.sequencesRead.contains(tag))
            element.items = items
            return (element, next)
        }

        let length = Int(rawLength)
        guard length <= end - valueOffset else {
            throw .corrupt("element \(tag) at offset \(offset) declares \(length) bytes, but only \(end - valueOffset) remain")
        }
        var element = DICOMElement(tag: tag, vr: vr, offset: valueOffset, length: length)
        if vr == "SQ" && DICOMTag.sequencesRead.contains(tag) {
            element.items = try readSequence(from: valueOffset, to: valueOffset + length, definedLength: true,
                                             encoding: encoding, depth: depth + 1, keepItems: true).items
        }
        return (element, valueOffset + length)
    }

    /// Reads the items of a sequence, up to `end` (defined length) or its sequence delimiter.
    ///
    /// - Parameter keepItems: keep the first item's data set (otherwise items are only walked).
    private func readSequence(from start: Int, to end: Int, definedLength: Bool, encoding: DICOMEncoding, depth: Int,
                              keepItems: Bool) throws(DICOMProblem) -> (items: [DICOMDataSet], next: Int) {
        guard depth <= maximumDepth else {
            throw .corrupt("sequences are nested more than \(maximumDepth) levels deep at offset \(start)")
        }
        var items: [DICOMDataSet] = []
        var offset = start
        while true {
            if definedLength && offset == end { return (items, end) }
            guard end - offset >= 8 else { throw .corrupt("a sequence ends without its delimiter at offset \(offset)") }
            let tag = bytes.tag(at: offset, littleEndian: encoding.littleEndian)
            let rawLength = bytes.uint32(at: offset + 4, littleEndian: encoding.littleEndian)
            if tag == .sequenceDelimiter { return (items, offset + 8) }
            guard tag == .item else { throw .corrupt("expected a sequence item \(DICOMTag.item) at offset \(offset), found \(tag)") }
            let itemStart = offset + 8
            let item: (DICOMDataSet, next: Int)
            if rawLength == Self.undefinedLength {
                item = try readDataSet(from: itemStart, to: end, encoding: encoding, depth: depth, endsAtItemDelimiter: true)
            } else {
                let length = Int(rawLength)
                guard length <= end - itemStart else {
                    throw .corrupt("a sequence item at offset \(offset) declares \(length) bytes, but only \(end - itemStart) remain")
                }
                let read = try readDataSet(from: itemStart, to: itemStart + length, encoding: encoding, depth: depth,
                                           endsAtItemDelimiter: false)
                item = (read.0, itemStart + length)
            }
            if keepItems && items.isEmpty { items.append(item.0) }
            offset = item.next
        }
    }

    /// Reads the items of encapsulated pixel data (PS3.5 A.4): the basic offset table, then
    /// the fragments, up to the sequence delimiter.
    private func readFragments(from start: Int, to end: Int,
                               encoding: DICOMEncoding) throws(DICOMProblem) -> ([Range<Int>], next: Int) {
        var fragments: [Range<Int>] = []
        var offset = start
        while true {
            guard end - offset >= 8 else { throw .corrupt("encapsulated pixel data ends without its delimiter at offset \(offset)") }
            let tag = bytes.tag(at: offset, littleEndian: encoding.littleEndian)
            let rawLength = bytes.uint32(at: offset + 4, littleEndian: encoding.littleEndian)
            if tag == .sequenceDelimiter { return (fragments, offset + 8) }
            guard tag == .item else {
                throw .corrupt("expected a pixel data item \(DICOMTag.item) at offset \(offset), found \(tag)")
            }
            guard rawLength != Self.undefinedLength, Int(rawLength) <= end - offset - 8 else {
                throw .corrupt("a pixel data fragment at offset \(offset) declares \(rawLength) bytes, but only \(end - offset - 8) remain")
            }
            fragments.append((offset + 8)..<(offset + 8 + Int(rawLength)))
            offset += 8 + Int(rawLength)
        }
    }
}
