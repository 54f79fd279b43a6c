#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Image {
    /// The image encoded as PNG, losslessly.
    ///
    /// - Parameters:
    ///   - bitDepth: 8 or 16, or `nil` to keep the image's depth. Writing an 8-bit image at 16
    ///     bits scales by 257; writing a 16-bit image at 8 bits rounds.
    ///   - compressionLevel: zlib level 0 (fastest) to 9 (smallest); 6 is libpng's default.
    /// - Returns: the bytes of a complete PNG file. A 16-bit image decodes back bit-exact.
    public func pngData(bitDepth: Int? = nil, compressionLevel: Int = 6) throws(ImageCodecError) -> [UInt8] {
        try PNGEncoder.encode(self, bitDepth: bitDepth ?? self.bitDepth, compressionLevel: compressionLevel)
    }

    /// The image encoded as JPEG.
    ///
    /// Gray images give a one-channel JPEG, RGB images a YCbCr one. 16-bit images are rounded
    /// to 8 bits. Images with alpha throw ``ImageCodecError/cannotEncode(format:message:)``:
    /// call ``droppingAlpha()`` first.
    ///
    /// - Parameters:
    ///   - quality: 1 (smallest) to 100 (best); 90 keeps fine detail such as X-ray texture.
    ///   - progressive: progressive (multi-scan) rather than baseline coding; usually smaller.
    ///   - chromaSubsampling: colour resolution of RGB images.
    public func jpegData(quality: Int = 90, progressive: Bool = false,
                         chromaSubsampling: ChromaSubsampling = .s420) throws(ImageCodecError) -> [UInt8] {
        try JPEGEncoder.encode(self, quality: quality, progressive: progressive, chromaSubsampling: chromaSubsampling)
    }

    /// The image encoded in `format`, with each format's default options except `jpegQuality`.
    public func encoded(as format: ImageFormat, jpegQuality: Int = 90) throws(ImageCodecError) -> [UInt8] {
        switch format {
        case .png: try pngData()
        case .jpeg: try jpegData(quality: jpegQuality)
        case .dicom: throw .cannotEncode(format: .dicom, message: "Fathom reads DICOM but does not write it")
        }
    }

    /// Encodes the image and writes it to `path` atomically: readers of `path` see the old
    /// file or the complete new one, never a partial write.
    ///
    /// - Parameters:
    ///   - format: the format to write, or `nil` to choose it from the path's extension
    ///     (`.png`, `.jpg`, `.jpeg`).
    ///   - jpegQuality: quality when writing JPEG.
    public func write(toFile path: String, format: ImageFormat? = nil, jpegQuality: Int = 90) throws(ImageCodecError) {
        guard let format = format ?? Self.formatFromExtension(of: path) else {
            throw .invalidArgument("cannot tell the image format from the extension of '\(path)'; pass format: .png or .jpeg")
        }
        let bytes = try encoded(as: format, jpegQuality: jpegQuality)
        try ImageFile.writeAtomically(bytes, to: path)
    }

    /// Encodes the image and writes it to a `file:` URL; see ``write(toFile:format:jpegQuality:)``.
    public func write(to url: URL, format: ImageFormat? = nil, jpegQuality: Int = 90) throws(ImageCodecError) {
        guard url.isFileURL else {
            throw .fileUnwritable(path: url.absoluteString, reason: "only file URLs can be written")
        }
        try write(toFile: url.path, format: format, jpegQuality: jpegQuality)
    }

    private static func formatFromExtension(of path: String) -> ImageFormat? {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: ".") else { return nil }
        return ImageFormat(fileExtension: String(name[name.index(after: dot)...]))
    }
}
