import CTurboJPEG

/// JPEG decoding with TurboJPEG, whose functions return error codes (libjpeg's longjmp stays
/// inside TurboJPEG's own frames).
enum JPEGDecoder {
    /// Decodes a baseline or progressive JPEG: grayscale to `.gray`, YCbCr or RGB to `.rgb`,
    /// CMYK or YCCK (Adobe, inverted) to `.rgb` by the naive formula `R = C·K/255`
    /// (no colour management, like libjpeg-turbo's own tools).
    ///
    /// Decoding is strict: a libjpeg warning, such as "Premature end of JPEG file" for a
    /// truncated download, is an error rather than an image with a gray bottom, the way
    /// Pillow and TensorFlow treat truncated files by default.
    static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodingLimits, source: String?) throws(ImageCodecError) -> Image {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            throw .corrupt(format: .jpeg, source: source, message: "no data")
        }
        guard let handle = tjInitDecompress() else { throw .outOfMemory(format: .jpeg, source: source) }
        defer { tjDestroy(handle) }
        let size = UInt(bytes.count)

        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard tjDecompressHeader3(handle, base, size, &width, &height, &subsampling, &colorspace) == 0 else {
            throw failure(handle, source: source)
        }
        guard width > 0, height > 0 else {
            throw .corrupt(format: .jpeg, source: source, message: "empty image (\(width)×\(height))")
        }
        guard limits.allows(width: Int(width), height: Int(height)) else {
            throw .tooLarge(width: Int(width), height: Int(height), limits: limits, source: source)
        }

        let colorModel: Image.ColorModel
        let pixelFormat: TJPF
        switch colorspace {
        case Int32(TJCS_GRAY.rawValue):
            (colorModel, pixelFormat) = (.gray, TJPF_GRAY)
        case Int32(TJCS_YCbCr.rawValue), Int32(TJCS_RGB.rawValue):
            (colorModel, pixelFormat) = (.rgb, TJPF_RGB)
        case Int32(TJCS_CMYK.rawValue), Int32(TJCS_YCCK.rawValue):
            (colorModel, pixelFormat) = (.rgb, TJPF_CMYK)
        default:
            throw .unsupported(format: .jpeg, source: source, message: "colour space \(colorspace)")
        }
        let pixelCount = Int(width) * Int(height)
        let decodedChannels = pixelFormat == TJPF_CMYK ? 4 : colorModel.channelCount
        // TJFLAG_LIMITSCANS refuses progressive files with absurd scan counts, which would
        // otherwise take minutes to decode (a CPU-exhaustion attack).
        let flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        var ok = false
        var decoded = [UInt8](unsafeUninitializedCapacity: pixelCount * decodedChannels) { buffer, initialized in
            ok = tjDecompress2(handle, base, size, buffer.baseAddress, width, width * Int32(decodedChannels), height,
                               pixelFormat.rawValue, flags) == 0
            initialized = ok ? pixelCount * decodedChannels : 0
        }
        guard ok else { throw failure(handle, source: source) }
        if pixelFormat == TJPF_CMYK { decoded = rgb(fromInvertedCMYK: decoded, pixelCount: pixelCount) }
        return Image(width: Int(width), height: Int(height), colorModel: colorModel, pixels: decoded)
    }

    /// The error TurboJPEG reported, without its function-name prefix.
    private static func failure(_ handle: tjhandle, source: String?) -> ImageCodecError {
        var message = String(cString: tjGetErrorStr2(handle))
        if message.hasPrefix("tj"), let range = message.firstRange(of: "(): ") {
            message = String(message[range.upperBound...])
        }
        // Valid files that TurboJPEG 2.1 cannot decode: lossless or hierarchical JPEG (as in
        // some DICOM files), 12-bit precision, unusual sampling factors. ("Unsupported marker
        // type" is damage, not a feature.)
        if message.contains("Unsupported JPEG") || message.contains("subsampling type")
            || message.contains("Unsupported color conversion") {
            return .unsupported(format: .jpeg, source: source, message: message)
        }
        return .corrupt(format: .jpeg, source: source, message: message)
    }

    /// RGB from Adobe-style inverted CMYK (the convention of Photoshop files and of
    /// libjpeg-turbo), where each stored value is 255 minus the ink amount.
    private static func rgb(fromInvertedCMYK cmyk: [UInt8], pixelCount: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { out, initialized in
            cmyk.withUnsafeBufferPointer { input in
                for p in 0..<pixelCount {
                    let k = UInt32(input[p * 4 + 3])
                    for c in 0..<3 {
                        out[p * 3 + c] = UInt8((UInt32(input[p * 4 + c]) * k + 127) / 255)
                    }
                }
            }
            initialized = pixelCount * 3
        }
    }
}
