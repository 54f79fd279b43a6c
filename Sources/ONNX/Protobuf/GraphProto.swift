// The graph and the declared types of its inputs and outputs, with onnx.proto's field numbers.

/// `GraphProto`: node 1, name 2, initializer 5, input 11, output 12.
struct GraphProto: ProtobufMessage {
    var name: String
    var nodes: [NodeProto]
    var initializers: [TensorProto]
    var inputs: [ValueInfoProto]
    var outputs: [ValueInfoProto]

    func encode(to writer: inout ProtobufWriter) {
        writer.append(1, each: nodes)
        writer.append(2, string: name)
        writer.append(5, each: initializers)
        writer.append(11, each: inputs)
        writer.append(12, each: outputs)
    }
}

/// `ValueInfoProto` (name 1, type 2) of a float tensor: `TypeProto` (tensor_type 1) →
/// `TypeProto.Tensor` (elem_type 1, shape 2) → `TensorShapeProto` (dim 1) → `Dimension`
/// (dim_value 1 or dim_param 2).
struct ValueInfoProto: ProtobufMessage {
    /// One axis: a fixed size or a named symbolic one (the dynamic batch `N`).
    enum Dimension {
        case value(Int)
        case parameter(String)
    }

    var name: String
    var dimensions: [Dimension]

    func encode(to writer: inout ProtobufWriter) {
        writer.append(1, string: name)
        writer.append(2) { type in
            type.append(1) { tensor in
                tensor.append(1, int: TensorProto.floatDataType)
                tensor.append(2) { shape in
                    for dimension in dimensions {
                        shape.append(1) { dim in
                            switch dimension {
                            case .value(let size): dim.append(1, int: size)
                            case .parameter(let name): dim.append(2, string: name)
                            }
                        }
                    }
                }
            }
        }
    }
}
