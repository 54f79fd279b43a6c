/// Where a DICOM file's data set starts and how it is encoded: a Part 10 file (128-byte
/// preamble, "DICM", file meta group 0002 in explicit VR little endian), or a bare data set
/// without preamble or meta, whose encoding is guessed from its first element.
struct DICOMFileLayout {
    /// The offset of the first data set element (after the file meta group).
    let dataSetStart: Int
    /// The transfer syntax: from the file meta, or implied by the guessed encoding.
    let transferSyntax: DICOMTransferSyntax
    /// The encoding of the data set (after inflating, for the deflated syntax).
    let encoding: DICOMEncoding
    /// Whether the file has a file meta group stating its transfer syntax.
    let hasFileMeta: Bool

    /// The layout of `bytes`.
    ///
    /// - Throws: when the meta group is damaged or names a transfer syntax Fathom does not
    ///   decode.
    init(_ bytes: DICOMBytes) throws(DICOMProblem) {
        var offset = 0
        if Self.hasPreamble(bytes) {
            offset = 132
        } else if Self.startsWithMagic(bytes) {
            offset = 4
        }
        var transferSyntaxUID: String?
        var sawMeta = false
        // The meta group is explicit VR little endian; a few writers use implicit VR.
        while bytes.count - offset >= 8, bytes.uint16(at: offset, littleEndian: true) == 0x0002 {
            sawMeta = true
            let tag = bytes.tag(at: offset, littleEndian: true)
            let encoding = bytes.isVR(at: offset + 4) ? DICOMEncoding.explicitLittleEndian : .implicitLittleEndian
            let header = try DICOMDataSetReader.header(bytes, tag: tag, at: offset, end: bytes.count, encoding: encoding)
            let (length, valueOffset) = (Int(header.rawLength), header.valueOffset)
            guard length <= bytes.count - valueOffset else {
                throw .corrupt("the file meta element \(tag) at offset \(offset) declares \(length) bytes, but only \(bytes.count - valueOffset) remain")
            }
            if tag == .transferSyntaxUID {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes.buffer[valueOffset..<(valueOffset + length)]),
                                  as: UTF8.self).trimmingPadding()
                transferSyntaxUID = text.isEmpty ? nil : text
            }
            offset = valueOffset + length
        }
        dataSetStart = offset
        hasFileMeta = sawMeta && transferSyntaxUID != nil

        if let uid = transferSyntaxUID {
            let syntax = try DICOMTransferSyntax(uid: uid)
            transferSyntax = syntax
            var encoding = syntax.encoding
            // Like pydicom, trust the data over the meta when the first element plainly has
            // no VR (an implicit data set labelled explicit) or has one (the reverse).
            if syntax != .deflatedExplicitVRLittleEndian, bytes.count - offset >= 8 {
                encoding.explicitVR = bytes.isVR(at: offset + 4)
            }
            encoding.littleEndian = syntax.encoding.littleEndian
            self.encoding = encoding
        } else {
            guard bytes.count - offset >= 8 else { throw .corrupt("no data elements (the data ends at offset \(offset))") }
            let encoding = Self.guessEncoding(bytes, at: offset)
            self.encoding = encoding
            transferSyntax = !encoding.explicitVR ? .implicitVRLittleEndian
                : encoding.littleEndian ? .explicitVRLittleEndian : .explicitVRBigEndian
        }
    }

    /// The encoding of a data set without meta, from its first element (as pydicom guesses):
    /// explicit VR when bytes 4–5 are upper-case letters; big endian when the group reads
    /// smaller that way (groups come in ascending order from small numbers such as 0008).
    static func guessEncoding(_ bytes: DICOMBytes, at offset: Int) -> DICOMEncoding {
        let explicit = bytes.isVR(at: offset + 4)
        let little = bytes.uint16(at: offset, littleEndian: true) <= bytes.uint16(at: offset, littleEndian: false)
        return DICOMEncoding(explicitVR: explicit, littleEndian: explicit ? little : true)
    }

    /// Whether a 128-byte preamble is followed by "DICM".
    static func hasPreamble(_ bytes: DICOMBytes) -> Bool {
        bytes.count >= 132 && bytes.buffer[128..<132].elementsEqual("DICM".utf8)
    }

    /// Whether the data starts with "DICM" (a Part 10 file whose preamble was stripped).
    static func startsWithMagic(_ bytes: DICOMBytes) -> Bool {
        bytes.count >= 4 && bytes.buffer[0..<4].elementsEqual("DICM".utf8)
    }

    /// Whether `bytes` look like a DICOM file: a preamble and "DICM", or a bare data set
    /// starting with an element of group 0002 or 0008 in either byte order, with a VR or a
    /// plausible implicit length.
    static func looksLikeDICOM(_ bytes: DICOMBytes) -> Bool {
        if hasPreamble(bytes) || startsWithMagic(bytes) { return true }
        guard bytes.count >= 8 else { return false }
        let groups: Set<UInt16> = [0x0002, 0x0008]
        let little = bytes.uint16(at: 0, littleEndian: true), big = bytes.uint16(at: 0, littleEndian: false)
        if bytes.isVR(at: 4) { return groups.contains(little) || groups.contains(big) }
        return groups.contains(little) && bytes.uint32(at: 4, littleEndian: true) < 0x1_0000
    }
}
