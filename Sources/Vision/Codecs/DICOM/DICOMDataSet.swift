/// The elements of one data set (the file's, or a sequence item's), by tag, with the
/// encoding needed to read their values.
struct DICOMDataSet {
    /// The elements found, by tag.
    var elements: [DICOMTag: DICOMElement] = [:]
    /// The bytes the offsets refer to.
    let bytes: DICOMBytes
    /// The encoding of the values.
    let encoding: DICOMEncoding

    /// The element with `tag`, if present.
    subscript(tag: DICOMTag) -> DICOMElement? { elements[tag] }

    /// The value bytes of `tag`, or `nil` when absent or of undefined length.
    func valueRange(_ tag: DICOMTag) -> Range<Int>? {
        guard let element = elements[tag], let length = element.length else { return nil }
        return element.offset..<(element.offset + length)
    }

    /// The text value of `tag`, with leading and trailing spaces and NULs removed, or `nil`
    /// when absent or empty.
    func string(_ tag: DICOMTag) -> String? {
        guard let range = valueRange(tag) else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes.buffer[range]), as: UTF8.self)
        let trimmed = text.trimmingPadding()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The backslash-separated values of a text element, each trimmed.
    func strings(_ tag: DICOMTag) -> [String] {
        guard let value = string(tag) else { return [] }
        return value.split(separator: "\\", omittingEmptySubsequences: false).map { String($0).trimmingPadding() }
    }

    /// The first value of a decimal string (DS) element, or `nil` when absent or empty.
    ///
    /// - Throws: when the value is not a number.
    func decimal(_ tag: DICOMTag, name: String) throws(DICOMProblem) -> Double? {
        guard let first = strings(tag).first, !first.isEmpty else { return nil }
        guard let value = Double(first), value.isFinite else {
            throw .corrupt("\(name) \(tag) is '\(first)', not a number")
        }
        return value
    }

    /// The integer values of a US, SS, UL, SL, IS or DS element (VR from the file when
    /// explicit, else from ``DICOMTag/implicitVR``).
    ///
    /// - Parameter signedWhenAmbiguous: read US/SS-ambiguous implicit values as signed.
    func integers(_ tag: DICOMTag, signedWhenAmbiguous: Bool = false) throws(DICOMProblem) -> [Int] {
        guard let element = elements[tag], let range = valueRange(tag) else { return [] }
        let little = encoding.littleEndian
        var vr = element.vr
        if !encoding.explicitVR, vr == "US", signedWhenAmbiguous { vr = "SS" }
        switch vr {
        case "US", "SS", "OW":
            return stride(from: range.lowerBound, to: range.upperBound - 1, by: 2).map { offset in
                let value = bytes.uint16(at: offset, littleEndian: little)
                return vr == "SS" ? Int(Int16(bitPattern: value)) : Int(value)
            }
        case "UL", "SL":
            return stride(from: range.lowerBound, to: range.upperBound - 3, by: 4).map { offset in
                let value = bytes.uint32(at: offset, littleEndian: little)
                return vr == "SL" ? Int(Int32(bitPattern: value)) : Int(value)
            }
        case "IS", "DS":
            var values: [Int] = []
            for text in strings(tag) {
                guard let value = Int(text) ?? Double(text).flatMap({ $0.isFinite && abs($0) < 1e15 ? Int($0) : nil }) else {
                    throw .corrupt("element \(tag) holds '\(text)', not an integer")
                }
                values.append(value)
            }
            return values
        default:
            throw .corrupt("element \(tag) has VR \(vr), expected an integer VR")
        }
    }

    /// The first integer value of `tag`, or `nil` when absent or empty.
    func integer(_ tag: DICOMTag) throws(DICOMProblem) -> Int? {
        try integers(tag).first
    }

    /// The first integer value of a required element.
    ///
    /// - Throws: naming the element when it is missing or empty.
    func requiredInteger(_ tag: DICOMTag, name: String) throws(DICOMProblem) -> Int {
        guard let value = try integer(tag) else { throw .corrupt("the required element \(name) \(tag) is missing or empty") }
        return value
    }
}
