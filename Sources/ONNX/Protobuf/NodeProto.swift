/// `NodeProto`: input 1, output 2, name 3, op_type 4, attribute 5 (onnx.proto).
struct NodeProto: ProtobufMessage {
    var name: String
    var opType: String
    var inputs: [String]
    var outputs: [String]
    var attributes: [ONNXAttribute]

    func encode(to writer: inout ProtobufWriter) {
        for input in inputs { writer.append(1, string: input) }
        for output in outputs { writer.append(2, string: output) }
        writer.append(3, string: name)
        writer.append(4, string: opType)
        writer.append(5, each: attributes)
    }
}

/// A node attribute: an `AttributeProto` (name 1, f 2, i 3, s 4, ints 8, type 20; the types
/// FLOAT 1, INT 2, STRING 3, INTS 7).
public struct ONNXAttribute: Sendable, Equatable {
    /// The attribute's value.
    public enum Value: Sendable, Equatable {
        /// A 32-bit float (`FLOAT`).
        case float(Float)
        /// An integer (`INT`, int64).
        case int(Int)
        /// A list of integers (`INTS`).
        case ints([Int])
        /// A UTF-8 string (`STRING`).
        case string(String)
    }

    /// The attribute's name, e.g. `kernel_shape`.
    public let name: String
    /// Its value.
    public let value: Value

    /// The attribute `name` = `value`.
    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    /// An integer attribute.
    public static func int(_ name: String, _ value: Int) -> ONNXAttribute { ONNXAttribute(name, .int(value)) }
    /// An integer-list attribute.
    public static func ints(_ name: String, _ values: [Int]) -> ONNXAttribute { ONNXAttribute(name, .ints(values)) }
    /// A float attribute.
    public static func float(_ name: String, _ value: Float) -> ONNXAttribute { ONNXAttribute(name, .float(value)) }
    /// A string attribute.
    public static func string(_ name: String, _ value: String) -> ONNXAttribute { ONNXAttribute(name, .string(value)) }
}

extension ONNXAttribute: ProtobufMessage {
    func encode(to writer: inout ProtobufWriter) {
        writer.append(1, string: name)
        switch value {
        case .float(let f):
            writer.append(2, float: f)
            writer.append(20, int: 1)
        case .int(let i):
            writer.append(3, int: i)
            writer.append(20, int: 2)
        case .string(let s):
            writer.append(4, string: s)
            writer.append(20, int: 3)
        case .ints(let values):
            for v in values { writer.append(8, int: v) }
            writer.append(20, int: 7)
        }
    }
}
