// Shared by VisionTests and PneumoniaTests: DICOM files written by the tests themselves, so
// that chest X-rays from the shared data can be read back as DICOM without committing any.

/// A tiny DICOM writer for the tests: data sets in implicit VR little endian, explicit VR
/// little or big endian, as Part 10 files (preamble, "DICM", file meta) or bare, with any
/// elements, including hostile ones (wrong lengths, deep nesting). Values are given as bytes
/// already encoded; the helpers encode the common VRs.
public struct DICOMTestWriter: Sendable {
    /// A data element: tag, two-letter VR, value bytes; `undefinedLength` writes 0xFFFFFFFF
    /// and the value bytes as they are (items and delimiters included by the caller).
    public struct Element: Sendable {
        /// The tag's group and element numbers.
        public var group: UInt16
        public var element: UInt16
        /// The two-letter value representation.
        public var vr: String
        /// The encoded value.
        public var value: [UInt8]
        /// Whether the length is written as undefined (0xFFFFFFFF).
        public var undefinedLength = false

        /// An element.
        public init(group: UInt16, element: UInt16, vr: String, value: [UInt8], undefinedLength: Bool = false) {
            (self.group, self.element, self.vr, self.value, self.undefinedLength) = (group, element, vr, value, undefinedLength)
        }
    }

    /// The transfer syntaxes it writes.
    public enum Syntax: String, Sendable {
        case implicitLittle = "1.2.840.10008.1.2"
        case explicitLittle = "1.2.840.10008.1.2.1"
        case explicitBig = "1.2.840.10008.1.2.2"
        /// JPEG baseline: explicit VR little endian with encapsulated pixel data.
        case jpegBaseline = "1.2.840.10008.1.2.4.50"
    }

    /// The transfer syntax the data set is written in.
    public var syntax: Syntax = .explicitLittle
    /// The elements, written in tag order.
    public var elements: [Element] = []

    /// A writer for `syntax`.
    public init(syntax: Syntax = .explicitLittle) {
        self.syntax = syntax
    }

    /// Whether values are little endian.
    public var littleEndian: Bool { syntax != .explicitBig }

    /// Appends an element.
    public mutating func add(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: [UInt8]) {
        elements.append(Element(group: group, element: element, vr: vr, value: value))
    }

    /// Appends a US element.
    public mutating func us(_ group: UInt16, _ element: UInt16, _ value: Int) {
        add(group, element, "US", u16(value))
    }

    /// Appends a text element (CS, DS, IS, UI...), padded to even length.
    public mutating func text(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: String) {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr == "UI" ? 0 : 0x20) }
        add(group, element, vr, bytes)
    }

    /// A 16-bit value in the writer's byte order.
    public func u16(_ value: Int) -> [UInt8] {
        let v = UInt16(truncatingIfNeeded: value)
        return littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
    }

    /// A 32-bit value in the writer's byte order.
    public func u32(_ value: UInt32) -> [UInt8] {
        let le = [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
        return littleEndian ? le : le.reversed()
    }

    /// 16-bit samples in the writer's byte order.
    public func words(_ values: [Int]) -> [UInt8] { values.flatMap { u16($0) } }

    /// The encoded element (header and value).
    public func encode(_ e: Element) -> [UInt8] {
        var out = u16(Int(e.group)) + u16(Int(e.element))
        let length: UInt32 = e.undefinedLength ? 0xFFFF_FFFF : UInt32(e.value.count)
        if syntax == .implicitLittle || e.group == 0xFFFE {
            out += u32(length)
        } else {
            out += Array(e.vr.utf8)
            if ["OB", "OW", "SQ", "UN", "UT", "OF"].contains(e.vr) {
                out += [0, 0] + u32(length)
            } else {
                out += u16(Int(length))
            }
        }
        return out + e.value
    }

    /// The data set without preamble or meta.
    public func dataSet() -> [UInt8] {
        elements.sorted { ($0.group, $0.element) < ($1.group, $1.element) }.flatMap(encode)
    }

    /// A Part 10 file: preamble, "DICM", the meta group (explicit VR LE), the data set.
    public func file() -> [UInt8] {
        var meta = DICOMTestWriter(syntax: .explicitLittle)
        meta.add(0x0002, 0x0001, "OB", [0, 1])
        meta.text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7")
        meta.text(0x0002, 0x0003, "UI", "1.2.3.4")
        meta.text(0x0002, 0x0010, "UI", syntax.rawValue)
        let metaBytes = meta.dataSet()
        var groupLength = DICOMTestWriter(syntax: .explicitLittle)
        groupLength.add(0x0002, 0x0000, "UL", meta.u32(UInt32(metaBytes.count)))
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + groupLength.dataSet() + metaBytes + dataSet()
    }
}

extension DICOMTestWriter {
    /// A data set describing a grayscale image with `stored` samples.
    ///
    /// - Parameters:
    ///   - bits: 8 or 16 bits allocated; `bitsStored` defaults to the same.
    ///   - window: Window Center/Width, or `nil`.
    ///   - rescale: Rescale Slope/Intercept, or `nil`.
    public static func grayscale(width: Int, height: Int, stored: [Int], bits: Int, bitsStored: Int? = nil, signed: Bool = false,
                          photometric: String = "MONOCHROME2", window: (center: String, width: String)? = nil,
                          rescale: (slope: String, intercept: String)? = nil,
                          syntax: Syntax = .explicitLittle) -> DICOMTestWriter {
        var w = DICOMTestWriter(syntax: syntax)
        w.text(0x0008, 0x0060, "CS", "DX")
        w.text(0x0010, 0x0010, "PN", "Doe^Jane")  // patient name: must never be reported
        w.text(0x0010, 0x0020, "LO", "PATIENT-12345")
        w.us(0x0028, 0x0002, 1)
        w.text(0x0028, 0x0004, "CS", photometric)
        w.us(0x0028, 0x0010, height)
        w.us(0x0028, 0x0011, width)
        w.us(0x0028, 0x0100, bits)
        w.us(0x0028, 0x0101, bitsStored ?? bits)
        w.us(0x0028, 0x0102, (bitsStored ?? bits) - 1)
        w.us(0x0028, 0x0103, signed ? 1 : 0)
        if let window {
            w.text(0x0028, 0x1050, "DS", window.center)
            w.text(0x0028, 0x1051, "DS", window.width)
        }
        if let rescale {
            w.text(0x0028, 0x1052, "DS", rescale.intercept)
            w.text(0x0028, 0x1053, "DS", rescale.slope)
        }
        var pixels = bits == 8 ? stored.map { UInt8(truncatingIfNeeded: $0) } : w.words(stored)
        if pixels.count % 2 == 1 { pixels.append(0) }
        w.add(0x7FE0, 0x0010, bits == 8 ? "OB" : "OW", pixels)
        return w
    }
}
