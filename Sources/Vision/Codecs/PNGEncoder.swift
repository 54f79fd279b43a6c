import CImageCodecs

/// PNG encoding through the longjmp-free libpng shim in `CImageCodecs`.
enum PNGEncoder {
    /// Encodes `image` losslessly at `bitDepth` (8 or 16) with zlib `compressionLevel` (0–9).
    static func encode(_ image: Image, bitDepth: Int, compressionLevel: Int) throws(ImageCodecError) -> [UInt8] {
        guard bitDepth == 8 || bitDepth == 16 else {
            throw .invalidArgument("PNG bit depth must be 8 or 16, got \(bitDepth)")
        }
        guard (0...9).contains(compressionLevel) else {
            throw .invalidArgument("PNG compression level must be in 0...9, got \(compressionLevel)")
        }
        guard image.width <= Int(Int32.max), image.height <= Int(Int32.max) else {
            throw .cannotEncode(format: .png, message: "\(image.width)×\(image.height) exceeds PNG's 2^31-1 limit per side")
        }
        let source = image.converted(toBitDepth: bitDepth)
        let rowStride = source.width * source.channels * bitDepth / 8

        var output: UnsafeMutablePointer<UInt8>?
        var outputSize = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = message.withUnsafeMutableBufferPointer { messageBuffer in
            func run(_ pixels: UnsafeRawPointer?) -> fathom_png_status {
                fathom_png_encode(pixels, UInt32(source.width), UInt32(source.height),
                                  Int32(source.channels), Int32(bitDepth), rowStride, Int32(compressionLevel),
                                  &output, &outputSize, messageBuffer.baseAddress, messageBuffer.count)
            }
            switch source.samples {
            case .uint8(let values): return values.withUnsafeBytes { run($0.baseAddress) }
            case .uint16(let values): return values.withUnsafeBytes { run($0.baseAddress) }
            }
        }
        defer { fathom_png_free(output) }
        switch status {
        case FATHOM_PNG_OK:
            guard let output else { return [] }
            return Array(UnsafeBufferPointer(start: output, count: outputSize))
        case FATHOM_PNG_NO_MEMORY:
            throw .outOfMemory(format: .png, source: nil)
        default:
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw .cannotEncode(format: .png, message: text)
        }
    }
}
