/// RLE lossless frames (PS3.5 annex G): a 64-byte header with up to 15 segment offsets, then
/// one PackBits-compressed segment per byte of each sample, most significant byte first.
enum DICOMRLEDecoder {
    /// The stored values of one frame, interleaved.
    static func decode(_ frame: DICOMBytes, description d: DICOMPixelDescription) throws(DICOMProblem) -> [Int32] {
        guard frame.count >= 64 else { throw .corrupt("the RLE frame is \(frame.count) bytes, shorter than its 64-byte header") }
        let bytesPerSample = d.bitsAllocated / 8
        let segmentCount = Int(frame.uint32(at: 0, littleEndian: true))
        guard segmentCount == d.samplesPerPixel * bytesPerSample else {
            throw .corrupt("the RLE header declares \(segmentCount) segments, \(d.samplesPerPixel) sample(s) of "
                + "\(d.bitsAllocated) bits need \(d.samplesPerPixel * bytesPerSample)")
        }
        let offsets = (0..<segmentCount).map { Int(frame.uint32(at: 4 + 4 * $0, littleEndian: true)) }
        let pixelCount = d.rows * d.columns
        var raw = [UInt32](repeating: 0, count: d.samplesPerFrame)
        for segment in 0..<segmentCount {
            let start = offsets[segment]
            let end = segment + 1 < segmentCount ? offsets[segment + 1] : frame.count
            guard start >= 64, start <= end, end <= frame.count else {
                throw .corrupt("RLE segment \(segment) has offsets \(start)..<\(end) outside the \(frame.count)-byte frame")
            }
            let sample = segment / bytesPerSample
            let shift = UInt32(8 * (bytesPerSample - 1 - segment % bytesPerSample))
            var produced = 0
            var offset = start
            // PackBits: n in 0...127 copies n+1 literal bytes; n in -127...-1 repeats the
            // next byte 1−n times; -128 is a no-op. Output past the segment size is dropped.
            while produced < pixelCount && offset < end {
                let header = Int(Int8(bitPattern: frame.byte(at: offset)))
                offset += 1
                if header >= 0 {
                    let run = min(header + 1, end - offset)
                    for k in 0..<min(run, pixelCount - produced) {
                        raw[(produced + k) * d.samplesPerPixel + sample] |= UInt32(frame.byte(at: offset + k)) << shift
                    }
                    produced += run
                    offset += run
                } else if header != -128 {
                    guard offset < end else { break }
                    let value = UInt32(frame.byte(at: offset)) << shift
                    let run = 1 - header
                    for k in 0..<min(run, pixelCount - produced) { raw[(produced + k) * d.samplesPerPixel + sample] |= value }
                    produced += run
                    offset += 1
                }
            }
            guard produced >= pixelCount else {
                throw .corrupt("RLE segment \(segment) decodes to \(produced) bytes, the frame needs \(pixelCount)")
            }
        }
        return raw.map { d.storedValue($0) }
    }
}
