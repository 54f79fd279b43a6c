import DICOMTestWriter
import Testing
import Vision

/// Layouts the pydicom fixtures do not cover, written by the test writer: bare data sets
/// (no preamble, no meta) in each encoding, and multi-frame encapsulated JPEG with and
/// without a basic offset table.
@Suite("DICOM layouts and frames")
struct DICOMEncapsulationTests {
    typealias Support = DICOMTestSupport

    @Test("Bare data sets are recognized and decoded in every encoding",
          arguments: [DICOMTestWriter.Syntax.implicitLittle, .explicitLittle, .explicitBig])
    func bareDataSet(syntax: DICOMTestWriter.Syntax) throws {
        let stored = [0, 1000, 2000, 3000, 4000, 65535]
        let w = DICOMTestWriter.grayscale(width: 3, height: 2, stored: stored, bits: 16, window: ("32768", "65536"), syntax: syntax)
        let bare = w.dataSet()
        #expect(ImageFormat.detect(bare) == .dicom)
        let decoded = try DICOMImage.decode(bare)
        #expect(!decoded.info.hasFileMeta)
        #expect(decoded.info.transferSyntax.uid == syntax.rawValue)
        // The identity-like window: display = floor(255·v/65535 + 0.5).
        #expect(Support.pixels(decoded.image) == [0, 4, 8, 12, 16, 255])
        #expect(try Image.decode(bare) == decoded.image)
    }

    /// Two JPEG frames, encapsulated: the first is decoded, exactly as libjpeg-turbo decodes
    /// that JPEG alone.
    static func twoFrameJPEG(offsetTable: Bool, splitFirstFrame: Bool) throws -> (file: [UInt8], first: Image) {
        let first = CodecTestSupport.smoothImage(width: 24, height: 16, colorModel: .gray)
        let second = Image(width: 24, height: 16, colorModel: .gray, pixels: Support.pixels(first).map { 255 - $0 })
        var jpegs = [try first.jpegData(quality: 95), try second.jpegData(quality: 95)]
        for index in jpegs.indices where jpegs[index].count % 2 == 1 { jpegs[index].append(0) }  // items are even
        var w = DICOMTestWriter(syntax: .jpegBaseline)
        func item(_ value: [UInt8]) -> [UInt8] { w.u16(0xFFFE) + w.u16(0xE000) + w.u32(UInt32(value.count)) + value }
        var fragments = splitFirstFrame
            ? [Array(jpegs[0].prefix(100)), Array(jpegs[0].dropFirst(100)), jpegs[1]] : [jpegs[0], jpegs[1]]
        if splitFirstFrame && fragments[0].count % 2 == 1 { fragments[0].append(0) }
        let secondOffset = fragments.dropLast().reduce(0) { $0 + 8 + $1.count }
        let table = offsetTable ? w.u32(0) + w.u32(UInt32(secondOffset)) : []
        var value = item(table)
        for fragment in fragments { value += item(fragment) }
        value += w.u16(0xFFFE) + w.u16(0xE0DD) + w.u32(0)
        w.text(0x0008, 0x0060, "CS", "XA")
        w.us(0x0028, 0x0002, 1)
        w.text(0x0028, 0x0004, "CS", "MONOCHROME2")
        w.text(0x0028, 0x0008, "IS", "2")
        w.us(0x0028, 0x0010, 16)
        w.us(0x0028, 0x0011, 24)
        w.us(0x0028, 0x0100, 8)
        w.us(0x0028, 0x0101, 8)
        w.us(0x0028, 0x0102, 7)
        w.us(0x0028, 0x0103, 0)
        w.text(0x0028, 0x1050, "DS", "128")
        w.text(0x0028, 0x1051, "DS", "256")
        w.elements.append(.init(group: 0x7FE0, element: 0x0010, vr: "OB", value: value, undefinedLength: true))
        return (w.file(), try Image.decode(jpegs[0]))
    }

    @Test("The first frame of encapsulated JPEG is decoded", arguments: [(true, false), (false, false), (true, true), (false, true)])
    func firstJPEGFrame(offsetTable: Bool, splitFirstFrame: Bool) throws {
        let (file, first) = try Self.twoFrameJPEG(offsetTable: offsetTable, splitFirstFrame: splitFirstFrame)
        let decoded = try DICOMImage.decode(file)
        #expect(decoded.info.numberOfFrames == 2 && decoded.info.transferSyntax == .jpegBaseline)
        #expect(decoded.image == first, "offset table \(offsetTable), first frame split \(splitFirstFrame)")
    }
}
