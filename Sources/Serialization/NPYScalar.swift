/// A Swift scalar type whose values an ``NPYArray`` can hold exactly, byte for byte.
///
/// `Bool` is deliberately absent: a corrupt file could hold byte values other than 0 and 1,
/// which are not valid `Bool`s; read boolean arrays with ``NPYArray/integers()``.

import Tensor
public protocol NPYScalar: BitwiseCopyable, Sendable {
    /// The stored element type matching this Swift type.
    static var serializedDType: SerializedDType { get }
}

extension UInt8: NPYScalar {
    /// `.uint8` (`|u1`).
    public static var serializedDType: SerializedDType { .uint8 }
}

extension Int8: NPYScalar {
    /// `.int8` (`|i1`).
    public static var serializedDType: SerializedDType { .int8 }
}

extension UInt16: NPYScalar {
    /// `.uint16` (`<u2`).
    public static var serializedDType: SerializedDType { .uint16 }
}

extension Int16: NPYScalar {
    /// `.int16` (`<i2`).
    public static var serializedDType: SerializedDType { .int16 }
}

extension UInt32: NPYScalar {
    /// `.uint32` (`<u4`).
    public static var serializedDType: SerializedDType { .uint32 }
}

extension Int32: NPYScalar {
    /// `.int32` (`<i4`).
    public static var serializedDType: SerializedDType { .int32 }
}

extension UInt64: NPYScalar {
    /// `.uint64` (`<u8`).
    public static var serializedDType: SerializedDType { .uint64 }
}

extension Int64: NPYScalar {
    /// `.int64` (`<i8`).
    public static var serializedDType: SerializedDType { .int64 }
}

extension Float: NPYScalar {
    /// `.float32` (`<f4`).
    public static var serializedDType: SerializedDType { .float32 }
}

extension Double: NPYScalar {
    /// `.float64` (`<f8`).
    public static var serializedDType: SerializedDType { .float64 }
}
