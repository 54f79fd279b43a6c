import CZlib

/// Raw deflate (no zlib header), as the deflated transfer syntax stores the data set
/// (PS3.5 A.5), with a cap on the output so that a "zip bomb" stops early.
enum DICOMInflater {
    /// The inflated bytes of `input`.
    ///
    /// - Parameter maximumCount: the largest output accepted; the buffer grows as data
    ///   arrives, so a small file never allocates the maximum.
    /// - Throws: when the stream is corrupt, ends early, or inflates past `maximumCount`.
    static func inflate(_ input: UnsafeRawBufferPointer, maximumCount: Int) throws(DICOMProblem) -> [UInt8] {
        guard let base = input.baseAddress, input.count > 0 else { throw .corrupt("the deflated data set is empty") }
        guard input.count < Int(UInt32.max) else { throw .unsupported("deflated data sets over 4 GiB") }
        var stream = z_stream()
        // windowBits -15: raw deflate with a 32 KiB window.
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib could not initialize inflate")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            guard output.count + produced <= maximumCount else {
                throw .corrupt("the deflated data set inflates to more than \(maximumCount) bytes, the limit for this image size")
            }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                throw .corrupt("the deflated data set ends before the end of its deflate stream")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .corrupt("the deflated data set is not valid deflate data (\(message))")
            }
        }
    }
}
