import CZlib
import Tensor

extension SerializationSupport {
    /// Raw deflate (no zlib or gzip wrapper, as zip members store it) and CRC-32, over zlib.
    ///
    /// zlib counts bytes in 32-bit `uInt`s, so every call feeds at most `maximumChunk` bytes
    /// at a time: members larger than 4 GiB (ZIP64) still work.
    enum Zlib {
        private static let maximumChunk = 1 << 30

        /// The CRC-32 (zip / PNG polynomial) of `bytes`.
        static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < bytes.count {
                let length = min(bytes.count - offset, maximumChunk)
                crc = CZlib.crc32(crc, bytes.baseAddress!.assumingMemoryBound(to: Bytef.self) + offset, uInt(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: crc)
        }

        /// Inflates a raw deflate stream that must produce exactly `expectedCount` bytes.
        ///
        /// Throws `compressionFailed` (with `file` and `member`) when the stream is corrupt,
        /// ends early, or holds more data than declared.
        static func inflate(_ input: UnsafeRawBufferPointer, expectedCount: Int, file: String, member: String) throws -> [UInt8] {
            func failure(_ reason: String) -> SerializationError {
                .compressionFailed(file: file, member: member, reason: reason)
            }
            var stream = z_stream()
            // windowBits -15: raw deflate, 32 KiB window.
            guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw failure("zlib could not initialize inflate")
            }
            defer { inflateEnd(&stream) }

            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
            defer { scratch.deallocate() }
            return try [UInt8](unsafeUninitializedCapacity: expectedCount) { output, initialized in
                var consumed = 0
                var produced = 0
                while true {
                    // Feed input and output windows of at most maximumChunk bytes.
                    let inputChunk = feedInput(&stream, input, from: consumed)
                    let outputChunk = min(expectedCount - produced, maximumChunk)
                    let status: Int32
                    if outputChunk > 0 {
                        stream.next_out = output.baseAddress! + produced
                        stream.avail_out = uInt(outputChunk)
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        produced += outputChunk - Int(stream.avail_out)
                    } else {
                        // The output is full: a one-byte window tells whether the stream ends
                        // here or has more data than the archive declared.
                        stream.next_out = scratch
                        stream.avail_out = 1
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        if stream.avail_out == 0 { throw failure("decompresses to more than the declared \(expectedCount) bytes") }
                    }
                    consumed += inputChunk - Int(stream.avail_in)
                    initialized = produced
                    switch status {
                    case Z_STREAM_END:
                        guard produced == expectedCount else {
                            throw failure("decompresses to \(produced) bytes, the archive declares \(expectedCount)")
                        }
                        return
                    case Z_OK:
                        continue
                    case Z_BUF_ERROR:
                        // No progress possible: the input ran out before the end of the stream.
                        throw failure("compressed data ends before the end of the deflate stream")
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        throw failure("corrupt deflate data (\(message))")
                    }
                }
            }
        }

        /// Points `stream` at the next window of at most ``maximumChunk`` input bytes after
        /// `consumed` (zlib's counters are 32-bit) and returns the window's length.
        private static func feedInput(_ stream: inout z_stream, _ input: UnsafeRawBufferPointer, from consumed: Int) -> Int {
            let chunk = min(input.count - consumed, maximumChunk)
            stream.next_in = chunk > 0
                ? UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self) + consumed)
                : nil
            stream.avail_in = uInt(chunk)
            return chunk
        }

        /// Compresses `input` as a raw deflate stream at the default level.
        static func deflate(_ input: UnsafeRawBufferPointer, member: String) throws -> [UInt8] {
            var stream = z_stream()
            guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw SerializationError.compressionFailed(file: "<memory>", member: member, reason: "zlib could not initialize deflate")
            }
            defer { deflateEnd(&stream) }
            // deflateBound is an upper bound for a single call; the slack covers the extra
            // block headers of a chunked feed.
            let bound = Int(deflateBound(&stream, uLong(input.count))) + 64 + input.count / maximumChunk * 64
            return try [UInt8](unsafeUninitializedCapacity: bound) { output, initialized in
                var consumed = 0
                var produced = 0
                while true {
                    let inputChunk = feedInput(&stream, input, from: consumed)
                    let outputChunk = min(bound - produced, maximumChunk)
                    stream.next_out = output.baseAddress! + produced
                    stream.avail_out = uInt(outputChunk)
                    let last = consumed + inputChunk == input.count
                    let status = CZlib.deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH)
                    consumed += inputChunk - Int(stream.avail_in)
                    produced += outputChunk - Int(stream.avail_out)
                    initialized = produced
                    if status == Z_STREAM_END { return }
                    guard status == Z_OK || (status == Z_BUF_ERROR && outputChunk > 0) else {
                        throw SerializationError.compressionFailed(file: "<memory>", member: member, reason: "deflate failed (error \(status))")
                    }
                }
            }
        }
    }
}
