import CImageCodecs

/// PNG decoding through the longjmp-free libpng shim in `CImageCodecs`.
enum PNGDecoder {
    /// Decodes any PNG (1–16 bits, gray, gray+alpha, RGB, RGBA, palette, tRNS, interlaced)
    /// into 8- or 16-bit gray, gray+alpha, RGB or RGBA, with exact sample values.
    static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodingLimits, source: String?) throws(ImageCodecError) -> Image {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw .corrupt(format: .png, source: source, message: "no data")
        }
        guard let reader = fathom_png_reader_create(base, bytes.count) else {
            throw .outOfMemory(format: .png, source: source)
        }
        defer { fathom_png_reader_destroy(reader) }

        func failure(_ status: fathom_png_status) -> ImageCodecError {
            if status == FATHOM_PNG_NO_MEMORY { return .outOfMemory(format: .png, source: source) }
            return .corrupt(format: .png, source: source, message: String(cString: fathom_png_reader_message(reader)))
        }

        var header = fathom_png_header()
        var status = fathom_png_read_header(reader, &header)
        guard status == FATHOM_PNG_OK else { throw failure(status) }
        let width = Int(header.width), height = Int(header.height)
        guard width > 0, height > 0 else {
            throw .corrupt(format: .png, source: source, message: "empty image (\(width)×\(height))")
        }
        // The limit check comes before libpng allocates its row buffers and before we
        // allocate the image.
        guard limits.allows(width: width, height: height) else {
            throw .tooLarge(width: width, height: height, limits: limits, source: source)
        }

        var layout = fathom_png_layout()
        status = fathom_png_start_image(reader, &layout)
        guard status == FATHOM_PNG_OK else { throw failure(status) }
        guard let colorModel = Image.ColorModel(channelCount: Int(layout.channels)) else {
            throw .corrupt(format: .png, source: source, message: "unexpected channel count \(layout.channels)")
        }
        let bytesPerSample = Int(layout.bit_depth) / 8
        let sampleCount = width * height * colorModel.channelCount
        let rowStride = width * colorModel.channelCount * bytesPerSample
        guard layout.row_bytes == rowStride else {
            throw .corrupt(format: .png, source: source, message: "unexpected row size \(layout.row_bytes), expected \(rowStride)")
        }

        status = FATHOM_PNG_OK
        let samples: Image.Samples
        if bytesPerSample == 1 {
            samples = .uint8([UInt8](unsafeUninitializedCapacity: sampleCount) { buffer, initialized in
                status = fathom_png_read_pixels(reader, buffer.baseAddress, rowStride)
                initialized = status == FATHOM_PNG_OK ? sampleCount : 0
            })
        } else {
            // The shim asked libpng for host byte order, so rows land directly in UInt16s.
            samples = .uint16([UInt16](unsafeUninitializedCapacity: sampleCount) { buffer, initialized in
                status = fathom_png_read_pixels(reader, buffer.baseAddress, rowStride)
                initialized = status == FATHOM_PNG_OK ? sampleCount : 0
            })
        }
        guard status == FATHOM_PNG_OK else { throw failure(status) }
        return Image(width: width, height: height, colorModel: colorModel, samples: samples)
    }
}
