/// Reads of little- or big-endian integers from a byte buffer.
///
/// The parser checks every offset against the data before reading; the preconditions here
/// (unsafe buffers are not bounds-checked in release builds) turn a parser bug into a trap
/// that the robustness tests would catch, never a read outside the buffer.
struct DICOMBytes {
    /// The whole buffer the offsets refer to.
    let buffer: UnsafeRawBufferPointer

    /// The number of bytes.
    var count: Int { buffer.count }

    /// The byte at `offset`. - Precondition: `offset` is in bounds.
    func byte(at offset: Int) -> UInt8 {
        precondition(offset >= 0 && offset < count, "DICOMBytes: offset \(offset) outside \(count) bytes")
        return buffer[offset]
    }

    /// The 16-bit value at `offset`. - Precondition: two bytes are in bounds.
    func uint16(at offset: Int, littleEndian: Bool) -> UInt16 {
        precondition(offset >= 0 && offset <= count - 2, "DICOMBytes: offset \(offset) + 2 outside \(count) bytes")
        let value = buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return littleEndian ? UInt16(littleEndian: value) : UInt16(bigEndian: value)
    }

    /// The 32-bit value at `offset`. - Precondition: four bytes are in bounds.
    func uint32(at offset: Int, littleEndian: Bool) -> UInt32 {
        precondition(offset >= 0 && offset <= count - 4, "DICOMBytes: offset \(offset) + 4 outside \(count) bytes")
        let value = buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return littleEndian ? UInt32(littleEndian: value) : UInt32(bigEndian: value)
    }

    /// The tag at `offset`. - Precondition: four bytes are in bounds.
    func tag(at offset: Int, littleEndian: Bool) -> DICOMTag {
        DICOMTag(group: uint16(at: offset, littleEndian: littleEndian),
                 element: uint16(at: offset + 2, littleEndian: littleEndian))
    }

    /// Whether the two bytes at `offset` are upper-case letters, as a VR is.
    func isVR(at offset: Int) -> Bool {
        offset + 2 <= count && (0x41...0x5A).contains(buffer[offset]) && (0x41...0x5A).contains(buffer[offset + 1])
    }
}
