/// `TensorProto` of float32 or int64 values, with onnx.proto's field numbers: dims 1,
/// data_type 2, int64_data 7, name 8, raw_data 9. Floats go to `raw_data` (little-endian, the
/// compact form every runtime reads); int64s (shapes for Reshape) to `int64_data`.
struct TensorProto: ProtobufMessage {
    /// `TensorProto.DataType.FLOAT`.
    static let floatDataType = 1
    /// `TensorProto.DataType.INT64`.
    static let int64DataType = 7

    /// The scalars, in row-major order.
    enum Values {
        case float([Float])
        case int64([Int])
    }

    var name: String
    var dimensions: [Int]
    var values: Values

    /// The number of bytes the values take.
    var byteCount: Int {
        switch values {
        case .float(let v): v.count * 4
        case .int64(let v): v.count * 8
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        for dimension in dimensions { writer.append(1, int: dimension) }
        switch values {
        case .float(let scalars):
            writer.append(2, int: Self.floatDataType)
            writer.append(8, string: name)
            writer.append(9, littleEndianFloats: scalars)
        case .int64(let scalars):
            writer.append(2, int: Self.int64DataType)
            for scalar in scalars { writer.append(7, int: scalar) }
            writer.append(8, string: name)
        }
    }
}
