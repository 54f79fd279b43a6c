import CZlib
import Tensor

extension SerializationSupport {
    /// Raw deflate (no zlib or gzip wrapper, as zip members store it) and CRC-32, over zlib.
    ///
    /// zlib counts bytes in 32-bit `uInt`s, so every call feeds at most `maximumChunk` bytes
    /// at a time: members larger than 4 GiB (ZIP64) still work.
    enum Zlib {
        static let maximumChunk = 1 << 30

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
            do throws(RawDeflate.Failure) {
                return try RawDeflate.inflate(input, exactly: expectedCount)
            } catch {
                let reason = switch error {
                case .initialization: "zlib could not initialize inflate"
                case .truncated: "compressed data ends before the end of the deflate stream"
                case .corrupt(let message): "corrupt deflate data (\(message))"
                case .tooLong: "decompresses to more than the declared \(expectedCount) bytes"
                case .tooShort(let produced): "decompresses to \(produced) bytes, the archive declares \(expectedCount)"
                }
                throw SerializationError.compressionFailed(file: file, member: member, reason: reason)
            }
        }

        /// Points `stream` at the next window of at most ``maximumChunk`` input bytes after
        /// `consumed` (zlib's counters are 32-bit) and returns the window's length.
        static func feedInput(_ stream: inout z_stream, _ input: UnsafeRawBufferPointer, from consumed: Int) -> Int {
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

/// Inflating raw deflate streams (no zlib or gzip wrapper) with zlib, for the formats that
/// store them: zip members (an output of declared size) and, in Vision, DICOM's deflated
/// transfer syntax (PS3.5 A.5: an output of unknown size under a cap, so that a "zip bomb"
/// stops early). One stream loop serves both; input and output are fed to zlib in windows of
/// at most 1 GiB (its counters are 32-bit), so streams past 4 GiB work.
package enum RawDeflate {
    /// Why a stream did not inflate; each format words it in its own error.
    package enum Failure: Error, Equatable {
        /// zlib could not initialize a stream.
        case initialization
        /// The input ends before the end of the deflate stream.
        case truncated
        /// zlib rejected the data, with its message.
        case corrupt(String)
        /// The stream holds more than the expected or the maximum number of bytes.
        case tooLong
        /// The stream ends after `produced` bytes, fewer than expected.
        case tooShort(produced: Int)
    }

    /// The inflated bytes of `input`, which must be exactly `count` bytes: allocated once,
    /// at their size.
    package static func inflate(_ input: UnsafeRawBufferPointer, exactly count: Int) throws(Failure) -> [UInt8] {
        var stream = try Stream(input)
        defer { stream.end() }
        let probe = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        defer { probe.deallocate() }
        var failure: Failure?
        let output = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(Failure) {
                while true {
                    if initialized < count {
                        let window = min(count - initialized, SerializationSupport.Zlib.maximumChunk)
                        let (produced, ended) = try stream.inflate(into: buffer.baseAddress! + initialized, count: window)
                        initialized += produced
                        guard !ended else {
                            if initialized < count { throw .tooShort(produced: initialized) }
                            return
                        }
                    } else {
                        // The output is full: a one-byte window tells whether the stream ends
                        // here or holds more data than expected.
                        let (produced, ended) = try stream.inflate(into: probe, count: 1)
                        if produced > 0 { throw .tooLong }
                        if ended { return }
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return output
    }

    /// The inflated bytes of `input`, at most `maximumCount` of them: the output grows as data
    /// arrives, so a small stream never allocates the maximum, and inflating stops at the first
    /// byte past it.
    package static func inflate(_ input: UnsafeRawBufferPointer, atMost maximumCount: Int) throws(Failure) -> [UInt8] {
        var stream = try Stream(input)
        defer { stream.end() }
        let chunkSize = 1 << 16
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        var output: [UInt8] = []
        while true {
            // A window reaching one byte past the maximum tells whether the stream goes beyond it.
            let room = maximumCount - output.count
            let (produced, ended) = try stream.inflate(into: chunk, count: room < chunkSize ? room + 1 : chunkSize)
            guard produced <= room else { throw .tooLong }
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
            if ended { return output }
        }
    }

    /// One zlib inflate stream over `input`. zlib's state points back at its `z_stream`, which
    /// therefore lives at a fixed heap address; ``end()`` releases both.
    private struct Stream {
        let z: UnsafeMutablePointer<z_stream>
        let input: UnsafeRawBufferPointer
        var consumed = 0

        init(_ input: UnsafeRawBufferPointer) throws(Failure) {
            z = .allocate(capacity: 1)
            z.initialize(to: z_stream())
            // windowBits -15: raw deflate, 32 KiB window.
            guard inflateInit2_(z, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                z.deallocate()
                throw .initialization
            }
            self.input = input
        }

        func end() {
            inflateEnd(z)
            z.deallocate()
        }

        /// Inflates the next input into the `count` bytes at `window`: the bytes produced, and
        /// whether the stream ended.
        mutating func inflate(into window: UnsafeMutablePointer<UInt8>, count: Int) throws(Failure) -> (produced: Int, ended: Bool) {
            let inputChunk = SerializationSupport.Zlib.feedInput(&z.pointee, input, from: consumed)
            z.pointee.next_out = window
            z.pointee.avail_out = uInt(count)
            let status = CZlib.inflate(z, Z_NO_FLUSH)
            consumed += inputChunk - Int(z.pointee.avail_in)
            let produced = count - Int(z.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                return (produced, true)
            case Z_OK:
                return (produced, false)
            case Z_BUF_ERROR:
                // No progress possible: the input ran out before the end of the stream.
                throw .truncated
            default:
                throw .corrupt(z.pointee.msg.map { String(cString: $0) } ?? "error \(status)")
            }
        }
    }
}
