import Tensor

extension SerializationSupport {
    /// One member of a zip archive, as its central directory entry describes it.
    struct ZipEntry {
        var name: String
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// Reads zip archives (the container of `.npz` files) through their central directory.
    ///
    /// Supports stored and deflated members and ZIP64 (NumPy writes ZIP64 local headers for
    /// every member). Every offset and size read from the archive is range-checked before use.
    enum ZipReader {
        static let localHeaderSignature: UInt32 = 0x0403_4B50
        static let centralHeaderSignature: UInt32 = 0x0201_4B50
        static let endSignature: UInt32 = 0x0605_4B50
        static let zip64EndSignature: UInt32 = 0x0606_4B50
        static let zip64LocatorSignature: UInt32 = 0x0706_4B50
        /// The largest ratio deflate can achieve is about 1032:1; a member declaring more is
        /// corrupt, and believing it could make us allocate absurd amounts of memory.
        static let maximumDeflateRatio = 1032

        /// The entries of the archive's central directory, in directory order.
        static func entries(of reader: ByteReader) throws -> [ZipEntry] {
            let (entryCount, start, size) = try directoryLocation(reader)
            try reader.require(start, size)
            // Each entry takes at least 46 bytes: a larger count is a lie, not a reason to loop.
            guard entryCount <= size / 46 else {
                throw SerializationError.malformedHeader(file: reader.file, reason: "\(entryCount) entries cannot fit in a \(size)-byte directory")
            }
            var entries: [ZipEntry] = []
            entries.reserveCapacity(entryCount)
            var position = start
            for _ in 0..<entryCount {
                let (entry, next) = try entry(at: position, directoryEnd: start + size, reader: reader)
                entries.append(entry)
                position = next
            }
            return entries
        }

        /// The entry count, offset and size of the central directory, from the end record
        /// (and the ZIP64 end record when there is one).
        private static func directoryLocation(_ reader: ByteReader) throws -> (count: Int, offset: Int, size: Int) {
            let file = reader.file
            func malformed(_ reason: String) -> SerializationError { .malformedHeader(file: file, reason: reason) }
            let bytes = reader.bytes
            guard bytes.count >= 22 else {
                let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
                let prefix = min(bytes.count, 4)
                if bytes[0..<prefix].elementsEqual(signature[0..<prefix]) {
                    throw SerializationError.truncated(file: file, expected: 22, actual: bytes.count)
                }
                throw SerializationError.badMagic(file: file, format: "NPZ (zip)")
            }

            // The end record sits at the end, followed by a comment of up to 65535 bytes.
            var endOffset = -1
            for candidate in stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 0xFFFF), by: -1)
            where reader.has(signature: endSignature, at: candidate) {
                let commentLength = Int(try reader.integer(UInt16.self, at: candidate + 20))
                if candidate + 22 + commentLength <= bytes.count {
                    endOffset = candidate
                    break
                }
            }
            guard endOffset >= 0 else {
                if reader.has(signature: localHeaderSignature, at: 0) {
                    throw malformed("no end-of-central-directory record (the archive is truncated)")
                }
                throw SerializationError.badMagic(file: file, format: "NPZ (zip)")
            }
            var disk = UInt64(try reader.integer(UInt16.self, at: endOffset + 4))
            var directoryDisk = UInt64(try reader.integer(UInt16.self, at: endOffset + 6))
            var entryCount = UInt64(try reader.integer(UInt16.self, at: endOffset + 10))
            var directorySize = UInt64(try reader.integer(UInt32.self, at: endOffset + 12))
            var directoryOffset = UInt64(try reader.integer(UInt32.self, at: endOffset + 16))

            // A ZIP64 locator just before the end record points to the 64-bit end record.
            if endOffset >= 20 && reader.has(signature: zip64LocatorSignature, at: endOffset - 20) {
                let recordOffset = try SerializationSupport.int(try reader.integer(UInt64.self, at: endOffset - 12), file: file, what: "ZIP64 end record offset")
                guard reader.has(signature: zip64EndSignature, at: recordOffset) else { throw malformed("bad ZIP64 end record") }
                disk = UInt64(try reader.integer(UInt32.self, at: recordOffset + 16))
                directoryDisk = UInt64(try reader.integer(UInt32.self, at: recordOffset + 20))
                entryCount = try reader.integer(UInt64.self, at: recordOffset + 32)
                directorySize = try reader.integer(UInt64.self, at: recordOffset + 40)
                directoryOffset = try reader.integer(UInt64.self, at: recordOffset + 48)
            }
            guard disk == 0, directoryDisk == 0 else { throw malformed("multi-disk archives are not supported") }
            return (try SerializationSupport.int(entryCount, file: file, what: "entry count"),
                    try SerializationSupport.int(directoryOffset, file: file, what: "central directory offset"),
                    try SerializationSupport.int(directorySize, file: file, what: "central directory size"))
        }

        /// Parses the central directory entry at `position`; returns it and the next position.
        private static func entry(at position: Int, directoryEnd: Int, reader: ByteReader) throws -> (ZipEntry, Int) {
            let file = reader.file
            guard reader.has(signature: centralHeaderSignature, at: position), position + 46 <= directoryEnd else {
                throw SerializationError.malformedHeader(file: file, reason: "bad central directory entry at offset \(position)")
            }
            let nameLength = Int(try reader.integer(UInt16.self, at: position + 28))
            let extraLength = Int(try reader.integer(UInt16.self, at: position + 30))
            let commentLength = Int(try reader.integer(UInt16.self, at: position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw SerializationError.malformedHeader(file: file, reason: "central directory entry at offset \(position) overruns the directory")
            }
            var compressed = UInt64(try reader.integer(UInt32.self, at: position + 20))
            var uncompressed = UInt64(try reader.integer(UInt32.self, at: position + 24))
            var offset = UInt64(try reader.integer(UInt32.self, at: position + 42))

            // ZIP64 extra field (id 1): 64-bit values for the fields saturated at 0xFFFFFFFF,
            // in the order uncompressed size, compressed size, local header offset.
            var extra = position + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try reader.integer(UInt16.self, at: extra)
                let length = Int(try reader.integer(UInt16.self, at: extra + 2))
                var field = extra + 4
                let fieldEnd = field + length
                guard fieldEnd <= extraEnd else { break }
                if id == 1 {
                    func next() throws -> UInt64 {
                        guard field + 8 <= fieldEnd else {
                            throw SerializationError.malformedHeader(file: file, reason: "ZIP64 extra field too short")
                        }
                        defer { field += 8 }
                        return try reader.integer(UInt64.self, at: field)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if offset == 0xFFFF_FFFF { offset = try next() }
                }
                extra = fieldEnd
            }
            let name = String(decoding: try reader.bytes(at: position + 46, count: nameLength), as: UTF8.self)
            let entry = ZipEntry(
                name: name,
                flags: try reader.integer(UInt16.self, at: position + 8),
                method: try reader.integer(UInt16.self, at: position + 10),
                crc32: try reader.integer(UInt32.self, at: position + 16),
                compressedSize: try SerializationSupport.int(compressed, file: file, what: "compressed size"),
                uncompressedSize: try SerializationSupport.int(uncompressed, file: file, what: "uncompressed size"),
                localHeaderOffset: try SerializationSupport.int(offset, file: file, what: "local header offset"))
            return (entry, next)
        }

        /// The uncompressed, CRC-checked contents of `entry`.
        static func contents(of entry: ZipEntry, in reader: ByteReader) throws -> [UInt8] {
            let file = reader.file
            guard entry.flags & 1 == 0, entry.method == 0 || entry.method == 8 else {
                throw SerializationError.unsupportedCompression(file: file, member: entry.name, method: Int(entry.method))
            }
            // The local header repeats name and extra field with lengths of its own.
            guard reader.has(signature: localHeaderSignature, at: entry.localHeaderOffset) else {
                throw SerializationError.malformedHeader(file: file, reason: "bad local header for member '\(entry.name)'")
            }
            let nameLength = Int(try reader.integer(UInt16.self, at: entry.localHeaderOffset + 26))
            let extraLength = Int(try reader.integer(UInt16.self, at: entry.localHeaderOffset + 28))
            let dataStart = entry.localHeaderOffset + 30 + nameLength + extraLength
            try reader.require(dataStart, entry.compressedSize)

            let contents: [UInt8]
            if entry.method == 0 {
                guard entry.compressedSize == entry.uncompressedSize else {
                    throw SerializationError.sizeMismatch(file: file, name: entry.name, expected: entry.uncompressedSize, actual: entry.compressedSize)
                }
                contents = try reader.bytes(at: dataStart, count: entry.compressedSize)
            } else {
                let (bound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: maximumDeflateRatio)
                guard !overflow, entry.uncompressedSize <= bound + 1024 else {
                    throw SerializationError.malformedHeader(file: file, reason: "member '\(entry.name)' declares an impossible uncompressed size \(entry.uncompressedSize)")
                }
                contents = try reader.bytes.withUnsafeBytes { raw in
                    try Zlib.inflate(UnsafeRawBufferPointer(rebasing: raw[dataStart..<(dataStart + entry.compressedSize)]),
                                     expectedCount: entry.uncompressedSize, file: file, member: entry.name)
                }
            }
            let crc = contents.withUnsafeBytes { Zlib.crc32($0) }
            guard crc == entry.crc32 else {
                throw SerializationError.crcMismatch(file: file, member: entry.name, expected: entry.crc32, actual: crc)
            }
            return contents
        }
    }
}
