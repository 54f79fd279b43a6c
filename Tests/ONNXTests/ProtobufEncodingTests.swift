import Foundation
import Layers
import ONNX
import Tensor
import Testing

/// The wire format, checked on the protobuf documentation's worked examples through a whole
/// exported file whose bytes are read back field by field.
@Suite struct ProtobufEncodingTests {
    /// A minimal reader of the wire format: the top-level fields of a message.
    static func fields(_ bytes: [UInt8]) -> [(field: Int, wireType: Int, payload: [UInt8])] {
        var i = 0, result: [(Int, Int, [UInt8])] = []
        func varint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let byte = bytes[i]
                i += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while i < bytes.count {
            let key = varint()
            let field = Int(key >> 3), wireType = Int(key & 7)
            switch wireType {
            case 0:
                let start = i
                _ = varint()
                result.append((field, wireType, Array(bytes[start..<i])))
            case 2:
                let length = Int(varint())
                result.append((field, wireType, Array(bytes[i..<(i + length)])))
                i += length
            case 5:
                result.append((field, wireType, Array(bytes[i..<(i + 4)])))
                i += 4
            default:
                Issue.record("unexpected wire type \(wireType)")
                return result
            }
        }
        return result
    }

    @Test func modelFieldsHaveONNXNumbers() throws {
        let exported = try ONNXModel(exporting: ReLU(), inputShape: [1, 2, 2],
                                     options: ONNXExportOptions(metadata: ["classes": "[\"a\"]"], documentation: "testing"))
        let fields = Self.fields(try exported.serialized())
        // ir_version 1 = 8: key 0x08, varint 0x08.
        #expect(fields.first?.field == 1 && fields.first?.payload == [0x08])
        #expect(fields.contains { $0.field == 2 && $0.payload == Array("Fathom".utf8) })
        // doc_string 6: "testing" — the documentation's string example, key 0x32 here.
        #expect(fields.contains { $0.field == 6 && $0.payload == [0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67] })
        // opset_import 8: version 2 = 17.
        #expect(fields.contains { $0.field == 8 && $0.payload == [0x10, 17] })
        // metadata_props 14: key 1, value 2.
        let entry = try #require(fields.first { $0.field == 14 })
        #expect(Self.fields(entry.payload).map(\.payload) == [Array("classes".utf8), Array("[\"a\"]".utf8)])
        // graph 7: one Relu node (op_type 4) and an input `image` with dim_param N.
        let graph = Self.fields(try #require(fields.first { $0.field == 7 }).payload)
        let node = Self.fields(try #require(graph.first { $0.field == 1 }).payload)
        #expect(node.contains { $0.field == 4 && $0.payload == Array("Relu".utf8) })
        let input = try #require(graph.first { $0.field == 11 })
        #expect(Self.fields(input.payload).first?.payload == Array("image".utf8))
    }

    @Test func attributesUseTheirWireTypes() throws {
        var rng = RandomGenerator(seed: 1)
        let model = Sequential(LeakyReLU(negativeSlope: 0.25), Conv2D(1, 1, kernelSize: 3, stride: 2, padding: .same, bias: false,
                                                                    generator: &rng))
        let bytes = try ONNXModel(exporting: model, inputShape: [1, 300, 300]).serialized()
        let graph = Self.fields(try #require(Self.fields(bytes).first { $0.field == 7 }).payload)
        let nodes = graph.filter { $0.field == 1 }.map { Self.fields($0.payload) }
        let alpha = Self.fields(try #require(nodes[0].first { $0.field == 5 }).payload)
        // f 2 as fixed32 (0.25 = 0x3E800000, little-endian), type 20 = FLOAT (1).
        #expect(alpha.contains { $0.field == 2 && $0.wireType == 5 && $0.payload == [0, 0, 0x80, 0x3E] })
        #expect(alpha.contains { $0.field == 20 && $0.payload == [1] })
        // SAME padding of 300 px, kernel 3, stride 2: 150 outputs, 1 padded row at the bottom only;
        // pads [top, left, bottom, right] as repeated ints 8 (varints 0, 0, 1, 1).
        let pads = try #require(nodes[1].filter { $0.field == 5 }.map { Self.fields($0.payload) }
            .first { $0.first?.payload == Array("pads".utf8) })
        #expect(pads.filter { $0.field == 8 }.map(\.payload) == [[0], [0], [1], [1]])
    }
}
