import Foundation
import Testing
import Vision

/// DICOM files from pydicom's test suite (and variants written with pydicom), decoded by
/// Fathom and compared with pydicom's pixel arrays after the same modality and VOI
/// transforms (Fixtures/DICOM/make_dicom_fixtures.py computes the expected `.npy` files).
@Suite("DICOM against pydicom")
struct DICOMReferenceTests {
    typealias Support = DICOMTestSupport

    /// Lossless files: Fathom's display image equals pydicom's exactly.
    static let lossless = [
        "CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
        "image_dfl.dcm", "SC_rgb_small_odd.dcm", "SC_rgb_small_odd_big_endian.dcm", "ExplVR_BigEnd.dcm",
        "SC_rgb_rle.dcm", "SC_rgb_rle_16bit.dcm", "SC_rgb_rle_2frame.dcm", "MR_small_voi_lut.dcm",
        "MR_small_monochrome1.dcm", "MR_small_signed12.dcm", "MR_small_modality_lut.dcm", "MR_small_no_meta_implicit.dcm",
        "MR_small_no_meta_explicit.dcm",
    ]
    /// Lossy JPEG: within one grey level (libjpeg-turbo here, Pillow's libjpeg in pydicom).
    static let lossy = ["SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_dcmtk_+eb+cr.dcm"]

    /// The largest absolute difference between Fathom's decode of `name` and pydicom's.
    static func difference(_ name: String) throws -> Int {
        let decoded = try DICOMImage.decode(try Support.fixture(name), source: name)
        let (shape, expected) = try Support.expected(name)
        let image = decoded.image
        let channels = shape.count == 3 ? shape[2] : 1
        let size: [Int] = [image.height, image.width, image.channels]
        #expect(size == [shape[0], shape[1], channels], "\(name): \(image) vs \(shape)")
        let pixels = Support.pixels(image)
        #expect(pixels.count == expected.count, "\(name)")
        return zip(pixels, expected).map { abs(Int($0) - Int($1)) }.max() ?? .max
    }

    /// The error decoding fixture `name` throws, or nil when it decodes.
    static func failure(_ name: String) throws -> ImageCodecError? {
        let bytes = try Support.fixture(name)
        do {
            _ = try DICOMImage.decode(bytes, source: name)
            return nil
        } catch {
            return error
        }
    }

    @Test("Lossless files equal pydicom exactly", arguments: lossless)
    func losslessEqualsPydicom(name: String) throws {
        #expect(try Self.difference(name) == 0, "\(name)")
    }

    @Test("Lossy JPEG files are within one grey level of pydicom", arguments: lossy)
    func lossyWithinOneGreyLevel(name: String) throws {
        #expect(try Self.difference(name) <= 1, "\(name)")
    }

    @Test func metadataReportsWhatWasUsed() throws {
        let mr = try DICOMImage.decode(try Support.fixture("MR_small.dcm")).info
        #expect(mr.modality == "MR" && mr.photometricInterpretation == "MONOCHROME2")
        #expect(mr.rows == 64 && mr.columns == 64 && mr.bitsAllocated == 16 && mr.bitsStored == 16 && mr.isSigned)
        #expect(mr.displayMapping == .window(center: 600, width: 1600, function: "LINEAR"))
        #expect(mr.transferSyntax == .explicitVRLittleEndian && mr.hasFileMeta && !mr.isInverted)

        let ct = try DICOMImage.decode(try Support.fixture("CT_small.dcm")).info
        #expect(ct.modalityTransform == .rescale(slope: 1, intercept: -1024))
        guard case .minMax = ct.displayMapping else { Issue.record("CT_small: \(ct.displayMapping)"); return }

        let lut = try DICOMImage.decode(try Support.fixture("MR_small_voi_lut.dcm")).info
        guard case .lookupTable(_, 12) = lut.displayMapping else { Issue.record("VOI LUT: \(lut.displayMapping)"); return }

        let modality = try DICOMImage.decode(try Support.fixture("MR_small_modality_lut.dcm")).info
        #expect(modality.modalityTransform == .lookupTable(entryCount: 2019, bitsPerEntry: 16))

        let frames = try DICOMImage.decode(try Support.fixture("SC_rgb_rle_2frame.dcm")).info
        #expect(frames.numberOfFrames == 2 && frames.transferSyntax == .rleLossless && frames.samplesPerPixel == 3)

        #expect(try DICOMImage.decode(try Support.fixture("MR_small_monochrome1.dcm")).info.isInverted)
        #expect(try DICOMImage.decode(try Support.fixture("MR_small_implicit.dcm")).info.transferSyntax == .implicitVRLittleEndian)
        #expect(try DICOMImage.decode(try Support.fixture("MR_small_bigendian.dcm")).info.transferSyntax == .explicitVRBigEndian)
        #expect(try DICOMImage.decode(try Support.fixture("image_dfl.dcm")).info.transferSyntax == .deflatedExplicitVRLittleEndian)
        let bare = try DICOMImage.decode(try Support.fixture("MR_small_no_meta_implicit.dcm")).info
        #expect(!bare.hasFileMeta && bare.transferSyntax == .implicitVRLittleEndian)
    }

    @Test func imageDecodeReadsDICOMLikeDICOMImage() throws {
        for name in ["MR_small.dcm", "SC_rgb_rle.dcm", "MR_small_no_meta_explicit.dcm"] {
            let bytes = try Support.fixture(name)
            #expect(ImageFormat.detect(bytes) == .dicom, "\(name)")
            #expect(try Image.decode(bytes) == DICOMImage.decode(bytes).image, "\(name)")
            let path = Support.fixtures.appendingPathComponent(name).path
            #expect(try Image(contentsOfFile: path) == DICOMImage(contentsOfFile: path).image, "\(name)")
        }
    }

    /// Transfer syntaxes Fathom does not decode: `.unsupported`, naming the UID and its name.
    @Test("Unsupported transfer syntaxes are named", arguments: [
        ("JPEG2000.dcm", "1.2.840.10008.1.2.4.91", "JPEG 2000"),
        ("MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
        ("SC_rgb_jpeg_gdcm.dcm", "1.2.840.10008.1.2.4.70", "JPEG Lossless"),
    ])
    func unsupportedTransferSyntax(name: String, uid: String, title: String) throws {
        let error = try Self.failure(name)
        guard case .unsupported(.dicom, name?, let message) = error else {
            Issue.record("\(name): \(String(describing: error))")
            return
        }
        #expect(message.contains(uid) && message.contains(title), "\(message)")
    }

    /// JPEG extended with 12-bit precision: libjpeg-turbo's 8-bit API refuses it, which
    /// Fathom reports as unsupported (not corrupt).
    @Test func twelveBitJPEGIsUnsupported() throws {
        let error = try Self.failure("JPEG-lossy.dcm")
        guard case .unsupported(.dicom, "JPEG-lossy.dcm"?, let message) = error else {
            Issue.record("JPEG-lossy.dcm: \(String(describing: error))")
            return
        }
        #expect(message.contains("JPEG") && message.contains("12"), "\(message)")
    }

    /// Files without an image or with pixel data cut short: `.corrupt`, naming the problem.
    @Test("Files without a full image are corrupt", arguments: [
        ("MR_truncated.dcm", "declares"),
        ("ExplVR_LitEndNoMeta.dcm", "no PixelData"),
        ("nested_priv_SQ.dcm", "PhotometricInterpretation (0028,0004) is missing"),  // 2 bytes of PixelData, no image module
        ("test-SR.dcm", "no PixelData"),
    ])
    func corruptOrImageless(name: String, fragment: String) throws {
        let error = try Self.failure(name)
        guard case .corrupt(.dicom, name?, let message) = error else {
            Issue.record("\(name): \(String(describing: error))")
            return
        }
        #expect(message.contains(fragment), "\(message)")
    }

    @Test func imageFolderDatasetReadsDCMFiles() throws {
        let root = try VisionTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        for (label, name) in [("a", "MR_small.dcm"), ("b", "CT_small.dcm")] {
            let folder = root.appendingPathComponent(label, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(try Support.fixture(name)).write(to: folder.appendingPathComponent(name))
        }
        let dataset = try ImageFolderDataset(root: root, onUnreadable: .fail)
        #expect(dataset.classCounts == [1, 1])
        let sample = try dataset.sample(at: 1)
        #expect(sample.image.shape == [1, 128, 128])
    }
}
