#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DICOMImage {
    /// Decodes a DICOM file held in memory: a Part 10 file (preamble, "DICM", file meta) or a
    /// bare data set in implicit or explicit VR.
    ///
    /// Safe on untrusted input: every length is checked against the data, the declared
    /// image against `limits` before pixel memory is allocated, sequence nesting against
    /// `limits.maxNestingDepth` and inflated data against `limits.maxInflatedBytes`.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - limits: the largest image to accept.
    ///   - source: a file name or description for error messages.
    /// - Throws: ``ImageCodecError`` naming the source: `.corrupt` for damaged data or a
    ///   missing required element, `.unsupported` for transfer syntaxes (named) or pixel
    ///   formats Fathom does not decode, `.tooLarge`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> DICOMImage {
        try DICOMDecoder.decode(bytes, limits: limits, source: source)
    }

    /// Decodes a DICOM file from an array of bytes; see the `UnsafeRawBufferPointer` overload.
    public static func decode(_ bytes: [UInt8], limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> DICOMImage {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ImageCodecError) -> DICOMImage in try DICOMDecoder.decode(buffer, limits: limits, source: source) }
        }
        return try result.get()
    }

    /// Decodes a DICOM file from `Data`; see the `UnsafeRawBufferPointer` overload.
    public static func decode(_ data: Data, limits: DecodingLimits = .default,
                              source: String? = nil) throws(ImageCodecError) -> DICOMImage {
        let result = data.withUnsafeBytes { buffer in
            Result { () throws(ImageCodecError) -> DICOMImage in try DICOMDecoder.decode(buffer, limits: limits, source: source) }
        }
        return try result.get()
    }

    /// Reads and decodes the DICOM file at `path`. Errors name the file.
    public init(contentsOfFile path: String, limits: DecodingLimits = .default) throws(ImageCodecError) {
        let bytes = try ImageFile.contents(atPath: path)
        self = try DICOMImage.decode(bytes, limits: limits, source: path)
    }
}
