import Tensor

extension SerializationSupport {
    /// Builds a zip archive in memory, member by member.
    ///
    /// Dates are fixed at 1980-01-01 so that the same arrays always give the same bytes.
    /// ZIP64 records are written when a size or offset passes 2³¹ − 1 (Python's threshold,
    /// safe for readers that treat these fields as signed), or for every member when forced.
    struct ZipWriter {
        private var archive: [UInt8] = []
        private var directory: [UInt8] = []
        private var memberCount = 0
        private let forceZIP64: Bool
        private static let limit = 0x7FFF_FFFF

        init(forceZIP64: Bool) {
            self.forceZIP64 = forceZIP64
        }

        /// Appends a member holding `contents`, deflated or stored.
        mutating func add(name: String, contents: [UInt8], deflate: Bool) throws {
            let nameBytes = Array(name.utf8)
            guard nameBytes.count <= 0xFFFF else { throw SerializationError.invalidName(name: name, reason: "longer than 65535 bytes") }
            let crc = contents.withUnsafeBytes { Zlib.crc32($0) }
            let payload = deflate ? try contents.withUnsafeBytes { try Zlib.deflate($0, member: name) } : contents
            let offset = archive.count
            let sizesZIP64 = forceZIP64 || payload.count > Self.limit || contents.count > Self.limit
            let offsetZIP64 = forceZIP64 || offset > Self.limit
            let version: UInt16 = sizesZIP64 || offsetZIP64 ? 45 : 20
            // Bit 11: the name is UTF-8 (only needed when it is not plain ASCII).
            let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
            let method: UInt16 = deflate ? 8 : 0

            // Local header; its ZIP64 extra must hold both sizes.
            Self.append(ZipReader.localHeaderSignature, to: &archive)
            for value: UInt16 in [version, flags, method, 0, 0x21] { Self.append(value, to: &archive) }  // time 0, date 1980-01-01
            Self.append(crc, to: &archive)
            Self.append(sizesZIP64 ? 0xFFFF_FFFF : UInt32(payload.count), to: &archive)
            Self.append(sizesZIP64 ? 0xFFFF_FFFF : UInt32(contents.count), to: &archive)
            Self.append(UInt16(nameBytes.count), to: &archive)
            Self.append(UInt16(sizesZIP64 ? 20 : 0), to: &archive)
            archive += nameBytes
            if sizesZIP64 {
                for value: UInt16 in [1, 16] { Self.append(value, to: &archive) }
                Self.append(UInt64(contents.count), to: &archive)
                Self.append(UInt64(payload.count), to: &archive)
            }
            archive += payload

            // Central directory entry; its ZIP64 extra holds only the saturated fields.
            var extra: [UInt8] = []
            if sizesZIP64 || offsetZIP64 {
                let fields = (sizesZIP64 ? [UInt64(contents.count), UInt64(payload.count)] : []) + (offsetZIP64 ? [UInt64(offset)] : [])
                for value: UInt16 in [1, UInt16(fields.count * 8)] { Self.append(value, to: &extra) }
                for value in fields { Self.append(value, to: &extra) }
            }
            Self.append(ZipReader.centralHeaderSignature, to: &directory)
            for value: UInt16 in [45, version, flags, method, 0, 0x21] { Self.append(value, to: &directory) }
            Self.append(crc, to: &directory)
            Self.append(sizesZIP64 ? 0xFFFF_FFFF : UInt32(payload.count), to: &directory)
            Self.append(sizesZIP64 ? 0xFFFF_FFFF : UInt32(contents.count), to: &directory)
            // Name, extra and comment lengths, disk number, internal attributes.
            for value: UInt16 in [UInt16(nameBytes.count), UInt16(extra.count), 0, 0, 0] { Self.append(value, to: &directory) }
            Self.append(UInt32(0o644) << 16, to: &directory)  // External attributes: rw-r--r--.
            Self.append(offsetZIP64 ? 0xFFFF_FFFF : UInt32(offset), to: &directory)
            directory += nameBytes
            directory += extra
            memberCount += 1
        }

        /// The finished archive: members, central directory and end records.
        consuming func finish() -> [UInt8] {
            let directoryOffset = archive.count
            let directorySize = directory.count
            archive += directory
            if forceZIP64 || memberCount >= 0xFFFF || directoryOffset > Self.limit || directorySize > Self.limit {
                let recordOffset = archive.count
                Self.append(ZipReader.zip64EndSignature, to: &archive)
                Self.append(UInt64(44), to: &archive)  // Size of the rest of this record.
                for value: UInt16 in [45, 45] { Self.append(value, to: &archive) }
                for value: UInt32 in [0, 0] { Self.append(value, to: &archive) }
                for value in [memberCount, memberCount, directorySize, directoryOffset] { Self.append(UInt64(value), to: &archive) }
                Self.append(ZipReader.zip64LocatorSignature, to: &archive)
                Self.append(UInt32(0), to: &archive)
                Self.append(UInt64(recordOffset), to: &archive)
                Self.append(UInt32(1), to: &archive)
            }
            let entries = UInt16(min(memberCount, 0xFFFF))
            Self.append(ZipReader.endSignature, to: &archive)
            for value: UInt16 in [0, 0, entries, entries] { Self.append(value, to: &archive) }
            Self.append(directorySize > Self.limit ? 0xFFFF_FFFF : UInt32(directorySize), to: &archive)
            Self.append(directoryOffset > Self.limit ? 0xFFFF_FFFF : UInt32(directoryOffset), to: &archive)
            Self.append(UInt16(0), to: &archive)  // Comment length.
            return archive
        }

        private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
            withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        }
    }
}
