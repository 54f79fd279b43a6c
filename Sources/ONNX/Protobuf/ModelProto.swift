// ONNX's top-level messages, with the field numbers of onnx.proto (onnx 1.23.2).

/// `ModelProto`: the file. Field numbers: ir_version 1, producer_name 2, producer_version 3,
/// doc_string 6, graph 7, opset_import 8, metadata_props 14.
struct ModelProto: ProtobufMessage {
    var irVersion: Int
    var producerName: String
    var producerVersion: String
    var docString: String
    var graph: GraphProto
    var opsetImports: [OperatorSetIdProto]
    var metadataProps: [StringStringEntryProto]

    func encode(to writer: inout ProtobufWriter) {
        writer.append(1, int: irVersion)
        writer.append(2, string: producerName)
        if !producerVersion.isEmpty { writer.append(3, string: producerVersion) }
        if !docString.isEmpty { writer.append(6, string: docString) }
        writer.append(7, graph)
        writer.append(8, each: opsetImports)
        writer.append(14, each: metadataProps)
    }
}

/// `OperatorSetIdProto`: domain 1 (empty for the default `ai.onnx`), version 2.
struct OperatorSetIdProto: ProtobufMessage {
    var domain: String
    var version: Int

    func encode(to writer: inout ProtobufWriter) {
        if !domain.isEmpty { writer.append(1, string: domain) }
        writer.append(2, int: version)
    }
}

/// `StringStringEntryProto`: key 1, value 2.
struct StringStringEntryProto: ProtobufMessage {
    var key: String
    var value: String

    func encode(to writer: inout ProtobufWriter) {
        writer.append(1, string: key)
        writer.append(2, string: value)
    }
}
