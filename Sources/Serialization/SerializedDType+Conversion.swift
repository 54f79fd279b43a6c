// Element conversions from little-endian file bytes to Swift scalars.
//
// These loops run over whole arrays (4708×224×224 uint8 images, millions of float weights),
// so they read raw buffers with `loadUnaligned` (the file offsets of NPY and safetensors data
// need not be aligned) and write into preallocated buffers: no per-element allocation.

import Tensor

extension SerializedDType {
    /// Converts every element of `source` (exactly `destination.count * byteCount` bytes,
    /// little-endian) to `Float`, rounding where Float32 cannot hold the value exactly.
    func convert(_ source: UnsafeRawBufferPointer, toFloats destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count * byteCount, "SerializedDType.convert: byte count mismatch")
        switch self {
        case .bool: Self.map(source, into: destination, as: UInt8.self) { $0 == 0 ? 0 : 1 }
        case .uint8: Self.map(source, into: destination, as: UInt8.self) { Float($0) }
        case .int8: Self.map(source, into: destination, as: Int8.self) { Float($0) }
        case .uint16: Self.map(source, into: destination, as: UInt16.self) { Float($0) }
        case .int16: Self.map(source, into: destination, as: Int16.self) { Float($0) }
        case .uint32: Self.map(source, into: destination, as: UInt32.self) { Float($0) }
        case .int32: Self.map(source, into: destination, as: Int32.self) { Float($0) }
        case .uint64: Self.map(source, into: destination, as: UInt64.self) { Float($0) }
        case .int64: Self.map(source, into: destination, as: Int64.self) { Float($0) }
        case .float16: Self.map(source, into: destination, as: UInt16.self) { Self.float(fromHalfBits: $0) }
        case .bfloat16: Self.map(source, into: destination, as: UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
        case .float32:
            // A plain byte copy keeps NaN payloads and negative zeros bit-exact.
            if let target = destination.baseAddress, let from = source.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: from, byteCount: source.count)
            }
        case .float64: Self.map(source, into: destination, as: Double.self) { Float($0) }
        }
    }

    /// Converts every element of `source` to `Int`; returns `false` (leaving `destination`
    /// partly written) if some value is fractional, infinite, NaN or beyond `Int`'s range.
    func convert(_ source: UnsafeRawBufferPointer, toIntegers destination: UnsafeMutableBufferPointer<Int>) -> Bool {
        precondition(source.count == destination.count * byteCount, "SerializedDType.convert: byte count mismatch")
        switch self {
        case .bool: Self.map(source, into: destination, as: UInt8.self) { $0 == 0 ? 0 : 1 }
        case .uint8: Self.map(source, into: destination, as: UInt8.self) { Int($0) }
        case .int8: Self.map(source, into: destination, as: Int8.self) { Int($0) }
        case .uint16: Self.map(source, into: destination, as: UInt16.self) { Int($0) }
        case .int16: Self.map(source, into: destination, as: Int16.self) { Int($0) }
        case .uint32: Self.map(source, into: destination, as: UInt32.self) { Int($0) }
        case .int32: Self.map(source, into: destination, as: Int32.self) { Int($0) }
        case .int64: Self.map(source, into: destination, as: Int64.self) { Int($0) }
        case .uint64:
            return Self.exactMap(source, into: destination, as: UInt64.self) { Int(exactly: $0) }
        case .float16:
            return Self.exactMap(source, into: destination, as: UInt16.self) { Int(exactly: Self.float(fromHalfBits: $0)) }
        case .bfloat16:
            return Self.exactMap(source, into: destination, as: UInt16.self) { Int(exactly: Float(bitPattern: UInt32($0) << 16)) }
        case .float32:
            return Self.exactMap(source, into: destination, as: Float.self) { Int(exactly: $0) }
        case .float64:
            return Self.exactMap(source, into: destination, as: Double.self) { Int(exactly: $0) }
        }
        return true
    }

    /// Decodes IEEE 754 binary16 bits, keeping infinities, NaN payloads and subnormals.
    ///
    /// Done by hand because `Float16` is unavailable on some supported platforms (Intel macOS).
    static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, exact in Float32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            // Rebias the exponent from 15 to 127.
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    @inline(__always)
    private static func map<Source: BitwiseCopyable, Target>(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Target>,
        as _: Source.Type, _ transform: (Source) -> Target
    ) {
        let size = MemoryLayout<Source>.size
        // Both cores: the writes to freshly allocated memory (page faults) dominate the cost.
        Parallel.forEachChunk(count: destination.count, minimumChunk: 1 << 20) { range in
            for i in range {
                destination[i] = transform(source.loadUnaligned(fromByteOffset: i &* size, as: Source.self))
            }
        }
    }

    @inline(__always)
    private static func exactMap<Source: BitwiseCopyable>(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Int>,
        as _: Source.Type, _ transform: (Source) -> Int?
    ) -> Bool {
        let size = MemoryLayout<Source>.size
        for i in 0..<destination.count {
            guard let value = transform(source.loadUnaligned(fromByteOffset: i &* size, as: Source.self)) else { return false }
            destination[i] = value
        }
        return true
    }
}
