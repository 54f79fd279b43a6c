/// The element type of an array stored in a file (NPY descriptor or safetensors dtype).
///
/// `Tensor` is always Float32; this type says what the file held, so that readers can convert
/// exactly (uint8 pixels, int64 labels) and writers can say what they wrote.

import Tensor
public enum SerializedDType: String, Sendable, Hashable, CaseIterable {
    /// One byte, 0 = false, anything else = true.
    case bool
    /// Unsigned 8-bit integer.
    case uint8
    /// Signed 8-bit integer.
    case int8
    /// Unsigned 16-bit integer.
    case uint16
    /// Signed 16-bit integer.
    case int16
    /// Unsigned 32-bit integer.
    case uint32
    /// Signed 32-bit integer.
    case int32
    /// Unsigned 64-bit integer.
    case uint64
    /// Signed 64-bit integer.
    case int64
    /// IEEE 754 binary16.
    case float16
    /// bfloat16: the top 16 bits of a binary32 (safetensors only; NumPy has no such dtype).
    case bfloat16
    /// IEEE 754 binary32.
    case float32
    /// IEEE 754 binary64.
    case float64

    /// The size of one element in bytes.
    public var byteCount: Int {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .uint16, .int16, .float16, .bfloat16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        }
    }

    /// Whether the elements are floating-point numbers.
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64: return true
        default: return false
        }
    }

    /// The little-endian NumPy descriptor (`"<f4"`, `"|u1"`...), `nil` for bfloat16.
    public var npyDescriptor: String? {
        switch self {
        case .bool: return "|b1"
        case .uint8: return "|u1"
        case .int8: return "|i1"
        case .uint16: return "<u2"
        case .int16: return "<i2"
        case .uint32: return "<u4"
        case .int32: return "<i4"
        case .uint64: return "<u8"
        case .int64: return "<i8"
        case .float16: return "<f2"
        case .bfloat16: return nil
        case .float32: return "<f4"
        case .float64: return "<f8"
        }
    }

    /// The safetensors dtype name (`"F32"`, `"BF16"`, `"U8"`...).
    public var safeTensorsName: String {
        switch self {
        case .bool: return "BOOL"
        case .uint8: return "U8"
        case .int8: return "I8"
        case .uint16: return "U16"
        case .int16: return "I16"
        case .uint32: return "U32"
        case .int32: return "I32"
        case .uint64: return "U64"
        case .int64: return "I64"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .float32: return "F32"
        case .float64: return "F64"
        }
    }

    /// The dtype with the given safetensors name, or `nil` if unknown.
    public init?(safeTensorsName name: String) {
        guard let match = Self.allCases.first(where: { $0.safeTensorsName == name }) else { return nil }
        self = match
    }

    /// Parses a NumPy descriptor such as `"<f4"`, `">i8"` or `"|b1"`.
    ///
    /// Returns the dtype and whether its bytes are big-endian (and must be swapped), or `nil`
    /// for anything else (structured, string, object, complex, datetime dtypes...).
    static func parse(npyDescriptor descriptor: String) -> (dtype: SerializedDType, bigEndian: Bool)? {
        var body = Substring(descriptor)
        var order: Character = "="
        if let first = body.first, "<>|=".contains(first) {
            order = first
            body = body.dropFirst()
        }
        let dtype: SerializedDType
        switch body {
        case "b1", "?": dtype = .bool
        case "u1", "B": dtype = .uint8
        case "i1", "b": dtype = .int8
        case "u2": dtype = .uint16
        case "i2": dtype = .int16
        case "u4": dtype = .uint32
        case "i4": dtype = .int32
        case "u8": dtype = .uint64
        case "i8": dtype = .int64
        case "f2", "e": dtype = .float16
        case "f4": dtype = .float32
        case "f8": dtype = .float64
        default: return nil
        }
        // "|" means "byte order not applicable", which only holds for one-byte types.
        if order == "|" && dtype.byteCount > 1 { return nil }
        return (dtype, order == ">" && dtype.byteCount > 1)
    }
}

extension SerializedDType: CustomStringConvertible {
    /// The case name (`float32`, `uint8`...).
    public var description: String { rawValue }
}
