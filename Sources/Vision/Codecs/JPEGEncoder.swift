import CTurboJPEG

/// JPEG encoding with TurboJPEG.
enum JPEGEncoder {
    /// Encodes a gray or RGB image at `quality` 1–100 (16-bit images are rounded to 8 bits,
    /// JPEG's only depth here). Images with alpha are refused rather than silently flattened.
    static func encode(_ image: Image, quality: Int, progressive: Bool,
                       chromaSubsampling: Image.ChromaSubsampling) throws(ImageCodecError) -> [UInt8] {
        guard (1...100).contains(quality) else {
            throw .invalidArgument("JPEG quality must be in 1...100, got \(quality)")
        }
        guard !image.colorModel.hasAlpha else {
            throw .cannotEncode(format: .jpeg, message: "JPEG cannot store the alpha channel of a \(image.colorModel) image; "
                                + "call droppingAlpha() first or write PNG")
        }
        guard image.width <= 65_535, image.height <= 65_535 else {
            throw .cannotEncode(format: .jpeg, message: "\(image.width)×\(image.height) exceeds JPEG's 65535 limit per side")
        }
        let source = image.converted(toBitDepth: 8)
        guard case .uint8(let pixels) = source.samples else { preconditionFailure("converted(toBitDepth: 8) gave 16 bits") }
        let isGray = source.colorModel == .gray
        let pixelFormat = isGray ? TJPF_GRAY : TJPF_RGB
        let subsampling: TJSAMP
        switch (isGray, chromaSubsampling) {
        case (true, _): subsampling = TJSAMP_GRAY
        case (false, .s444): subsampling = TJSAMP_444
        case (false, .s422): subsampling = TJSAMP_422
        case (false, .s420): subsampling = TJSAMP_420
        }
        // TurboJPEG defaults to the fast integer DCT when compressing; the accurate one is what
        // libjpeg's cjpeg and Pillow use, and costs little with SIMD.
        let flags = TJFLAG_ACCURATEDCT | (progressive ? TJFLAG_PROGRESSIVE : 0)

        guard let handle = tjInitCompress() else { throw .outOfMemory(format: .jpeg, source: nil) }
        defer { tjDestroy(handle) }
        var output: UnsafeMutablePointer<UInt8>?
        var outputSize: UInt = 0
        defer { tjFree(output) }
        let status = pixels.withUnsafeBufferPointer { buffer in
            tjCompress2(handle, buffer.baseAddress, Int32(source.width), Int32(source.width * source.channels),
                        Int32(source.height), pixelFormat.rawValue, &output, &outputSize,
                        Int32(subsampling.rawValue), Int32(quality), flags)
        }
        guard status == 0, let output else {
            throw .cannotEncode(format: .jpeg, message: String(cString: tjGetErrorStr2(handle)))
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(outputSize)))
    }
}
