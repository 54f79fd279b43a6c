import Foundation
import Serialization
import Tensor
import Testing
import Vision

/// A tiny DICOM writer for the tests: data sets in implicit VR little endian, explicit VR
/// little or big endian, as Part 10 files (preamble, "DICM", file meta) or bare, with any
/// elements, including hostile ones (wrong lengths, deep nesting). Values are given as bytes
/// already encoded; the helpers encode the common VRs.
struct DICOMTestWriter {
    /// A data element: tag, two-letter VR, value bytes; `undefinedLength` writes 0xFFFFFFFF
    /// and the value bytes as they are (items and delimiters included by the caller).
    struct Element {
        var group: UInt16
        var element: UInt16
        var vr: String
        var value: [UInt8]
        var undefinedLength = false
    }

    enum Syntax: String {
        case implicitLittle = "1.2.840.10008.1.2"
        case explicitLittle = "1.2.840.10008.1.2.1"
        case explicitBig = "1.2.840.10008.1.2.2"
        /// JPEG baseline: explicit VR little endian with encapsulated pixel data.
        case jpegBaseline = "1.2.840.10008.1.2.4.50"
    }

    var syntax: Syntax = .explicitLittle
    var elements: [Element] = []

    var littleEndian: Bool { syntax != .explicitBig }

    /// Appends an element.
    mutating func add(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: [UInt8]) {
        elements.append(Element(group: group, element: element, vr: vr, value: value))
    }

    /// Appends a US element.
    mutating func us(_ group: UInt16, _ element: UInt16, _ value: Int) {
        add(group, element, "US", u16(value))
    }

    /// Appends a text element (CS, DS, IS, UI...), padded to even length.
    mutating func text(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: String) {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr == "UI" ? 0 : 0x20) }
        add(group, element, vr, bytes)
    }

    /// A 16-bit value in the writer's byte order.
    func u16(_ value: Int) -> [UInt8] {
        let v = UInt16(truncatingIfNeeded: value)
        return littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
    }

    /// A 32-bit value in the writer's byte order.
    func u32(_ value: UInt32) -> [UInt8] {
        let le = [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
        return littleEndian ? le : le.reversed()
    }

    /// 16-bit samples in the writer's byte order.
    func words(_ values: [Int]) -> [UInt8] { values.flatMap { u16($0) } }

    /// The encoded element (header and value).
    func encode(_ e: Element) -> [UInt8] {
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
    func dataSet() -> [UInt8] {
        elements.sorted { ($0.group, $0.element) < ($1.group, $1.element) }.flatMap(encode)
    }

    /// A Part 10 file: preamble, "DICM", the meta group (explicit VR LE), the data set.
    func file() -> [UInt8] {
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

/// Grayscale and colour DICOM images built from decoded pictures.
enum DICOMTestSupport {
    /// The fixture folder.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/DICOM", isDirectory: true)

    /// The bytes of a fixture; records a failure naming it when missing.
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = fixtures.appendingPathComponent(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing fixture \(url.path)")
        return [UInt8](data)
    }

    /// The expected display image of a fixture, from its `.npy` written by make_dicom_fixtures.py.
    static func expected(_ name: String) throws -> (shape: [Int], pixels: [UInt8]) {
        let array = try NPY.read(from: fixtures.appendingPathComponent(name.replacingOccurrences(of: ".dcm", with: ".npy")))
        return (array.shape, try array.scalars(as: UInt8.self))
    }

    /// A data set describing a grayscale image with `stored` samples.
    ///
    /// - Parameters:
    ///   - bits: 8 or 16 bits allocated; `bitsStored` defaults to the same.
    ///   - window: Window Center/Width, or `nil`.
    ///   - rescale: Rescale Slope/Intercept, or `nil`.
    static func grayscale(width: Int, height: Int, stored: [Int], bits: Int, bitsStored: Int? = nil, signed: Bool = false,
                          photometric: String = "MONOCHROME2", window: (center: String, width: String)? = nil,
                          rescale: (slope: String, intercept: String)? = nil,
                          syntax: DICOMTestWriter.Syntax = .explicitLittle) -> DICOMTestWriter {
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

    /// The 8-bit samples of an image.
    static func pixels(_ image: Image) -> [UInt8] {
        guard case .uint8(let values) = image.samples else { return [] }
        return values
    }

    /// A few chest X-rays of the shared data (224×224 RGB JPEGs), decoded by Fathom.
    static func chestXRays(count: Int = 3) throws -> [(name: String, image: Image)] {
        let directory = try CodecTestSupport.requireDataDirectory("chest_xray_224/train")
        var result: [(String, Image)] = []
        for label in ["NORMAL", "PNEUMONIA"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/" + label).sorted().prefix(count)
            for name in names { result.append((label + "/" + name, try Image(contentsOfFile: directory + "/" + label + "/" + name))) }
        }
        return result
    }
}
