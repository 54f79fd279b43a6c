/// The stored values of the first frame of the pixel data (7FE0,0010), native or
/// encapsulated, interleaved pixel by pixel (R, G, B, R, G, B... for colour).
///
/// Multi-frame images give their first frame only: Fathom's `Image` is one 2-D picture, and
/// for the multi-frame X-ray files seen in practice the first frame is the image.
enum DICOMPixelData {
    /// The stored values (after BitsStored/HighBit masking and sign extension) of frame 0.
    static func firstFrame(_ dataSet: DICOMDataSet, description: DICOMPixelDescription,
                           transferSyntax: DICOMTransferSyntax, limits: DecodingLimits) throws(DICOMProblem) -> [Int32] {
        guard let element = dataSet[.pixelData] else {
            throw .corrupt("the required element PixelData \(DICOMTag.pixelData) is missing")
        }
        if transferSyntax.isEncapsulated {
            guard element.length == nil else {
                throw .corrupt("PixelData has a defined length, but \(transferSyntax.name) needs encapsulated fragments")
            }
            let frame = try firstFrameBytes(dataSet.bytes, fragments: element.fragments, description: description, transferSyntax: transferSyntax)
            let result = frame.withUnsafeBytes { buffer in
                Result { () throws(DICOMProblem) -> [Int32] in
                    if transferSyntax == .rleLossless {
                        return try DICOMRLEDecoder.decode(DICOMBytes(buffer: buffer), description: description)
                    }
                    return try decodeJPEG(buffer, description: description, limits: limits)
                }
            }
            return try result.get()
        }
        guard let length = element.length else {
            throw .corrupt("PixelData is encapsulated, but the transfer syntax \(transferSyntax.name) is uncompressed")
        }
        return try nativeFrame(dataSet.bytes, offset: element.offset, length: length, vr: element.vr,
                               littleEndian: dataSet.encoding.littleEndian, description: description)
    }

    /// Reads uncompressed samples.
    private static func nativeFrame(_ bytes: DICOMBytes, offset: Int, length: Int, vr: String, littleEndian: Bool,
                                    description d: DICOMPixelDescription) throws(DICOMProblem) -> [Int32] {
        let count = d.samplesPerFrame
        let bytesPerSample = d.bitsAllocated / 8
        guard length / bytesPerSample >= count else {
            throw .corrupt("PixelData holds \(length) bytes, but one \(d.columns)×\(d.rows) frame of \(d.samplesPerPixel) "
                + "sample(s) at \(d.bitsAllocated) bits needs \(count * bytesPerSample)")
        }
        // 8-bit samples in an OW value of a big-endian file are byte-swapped in 16-bit words
        // (the last, odd sample is read from the padding byte, which must be there).
        let swapBytes = bytesPerSample == 1 && !littleEndian && vr == "OW"
        guard !swapBytes || length >= count + count % 2 else {
            throw .corrupt("PixelData (OW, big endian) holds \(length) bytes, \(count) 8-bit samples need \(count + count % 2)")
        }
        let planeSize = d.rows * d.columns
        return [Int32](unsafeUninitializedCapacity: count) { out, initialized in
            for index in 0..<count {
                // Planar configuration 1 stores all red samples, then green, then blue.
                let source = d.planarConfiguration == 1
                    ? (index % d.samplesPerPixel) * planeSize + index / d.samplesPerPixel : index
                let raw: UInt32
                if bytesPerSample == 1 {
                    raw = UInt32(bytes.byte(at: offset + (swapBytes ? source ^ 1 : source)))
                } else {
                    raw = UInt32(bytes.uint16(at: offset + 2 * source, littleEndian: littleEndian))
                }
                out[index] = d.storedValue(raw)
            }
            initialized = count
        }
    }

    /// The bytes of frame 0, joined from its fragments (the first fragment is the basic
    /// offset table).
    ///
    /// One frame: every fragment. Several frames: the fragments before the second offset of
    /// the table; without a table, one fragment per frame when the counts match (always so
    /// for RLE), else the fragments up to the first that ends a JPEG (EOI marker FFD9).
    private static func firstFrameBytes(_ bytes: DICOMBytes, fragments: [Range<Int>], description: DICOMPixelDescription,
                                        transferSyntax: DICOMTransferSyntax) throws(DICOMProblem) -> [UInt8] {
        guard fragments.count >= 2 else { throw .corrupt("the encapsulated PixelData has no fragments") }
        let table = fragments[0], data = fragments[1...]
        var frame = Array(data)
        if description.numberOfFrames > 1 {
            if table.count >= 8 {
                let firstItem = data.first!.lowerBound - 8
                let secondFrame = Int(bytes.uint32(at: table.lowerBound + 4, littleEndian: true))
                frame = data.filter { $0.lowerBound - 8 - firstItem < secondFrame }
            } else if data.count == description.numberOfFrames || transferSyntax == .rleLossless {
                frame = [data.first!]
            } else if let end = data.firstIndex(where: { endsJPEG(bytes, $0) }) {
                frame = Array(data[...end])
            }
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(frame.reduce(0) { $0 + $1.count })
        for range in frame { joined.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.buffer[range])) }
        return joined
    }

    /// Whether a fragment ends with a JPEG end-of-image marker (possibly padded by one zero).
    private static func endsJPEG(_ bytes: DICOMBytes, _ range: Range<Int>) -> Bool {
        var end = range.upperBound
        if end > range.lowerBound, bytes.byte(at: end - 1) == 0 { end -= 1 }
        return end - range.lowerBound >= 2 && bytes.byte(at: end - 2) == 0xFF && bytes.byte(at: end - 1) == 0xD9
    }

    /// Decodes a JPEG frame with libjpeg-turbo and checks it against the pixel description.
    private static func decodeJPEG(_ buffer: UnsafeRawBufferPointer, description d: DICOMPixelDescription,
                                   limits: DecodingLimits) throws(DICOMProblem) -> [Int32] {
        let image: Image
        do {
            image = try JPEGDecoder.decode(buffer, limits: limits, source: nil)
        } catch {
            switch error {
            case .tooLarge(let width, let height, _, _): throw .tooLarge(width: width, height: height)
            case .unsupported(_, _, let message): throw .unsupported("JPEG pixel data: \(message)")
            case .outOfMemory: throw .corrupt("JPEG pixel data: out of memory in libjpeg-turbo")
            default: throw .corrupt("JPEG pixel data: \(error)")
            }
        }
        guard image.width == d.columns, image.height == d.rows, image.channels == d.samplesPerPixel else {
            throw .corrupt("the JPEG frame is \(image.width)×\(image.height) with \(image.channels) channel(s), "
                + "the data set declares \(d.columns)×\(d.rows) with \(d.samplesPerPixel)")
        }
        guard case .uint8(let pixels) = image.samples else { throw .corrupt("JPEG pixel data: not 8-bit") }
        return pixels.map { Int32($0) }
    }
}
