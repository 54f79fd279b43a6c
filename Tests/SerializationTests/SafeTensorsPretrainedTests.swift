import FathomTestSupport
import Foundation
import Serialization
import Tensor
import Testing

/// The pretrained EfficientNet-Lite0 and MobileNetV2 weights from ../shared/pretrained.
@Suite("SafeTensors: pretrained weights")
struct SafeTensorsPretrainedTests {
    @Test func efficientNetLite0MatchesItsTensorList() throws {
        let file = try SafeTensors.read(from: SharedData.pretrainedFile("efficientnet_lite0/efficientnet_lite0.safetensors"))
        let listing = try String(contentsOf: SharedData.pretrainedFile("efficientnet_lite0/tensors.txt"), encoding: .utf8)

        // Lines read "name   (32, 3, 3, 3) float32"; the int64 num_batches_tracked counters
        // were dropped from the safetensors file, and a trailing summary line follows.
        var expected: [String: [Int]] = [:]
        var dropped: [String] = []
        for line in listing.split(separator: "\n") {
            guard let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") else { continue }
            let name = line[..<open].trimmingCharacters(in: .whitespaces)
            let dtype = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            guard !name.contains(" "), !dtype.contains(" ") else { continue }  // The summary line.
            let shape = line[line.index(after: open)..<close].split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            if dtype == "float32" { expected[name] = shape } else { dropped.append(name) }
        }
        #expect(expected.count == 247)
        #expect(dropped.count == 49 && dropped.allSatisfy { $0.hasSuffix("num_batches_tracked") })
        #expect(Set(file.names) == Set(expected.keys))
        for (name, shape) in expected {
            #expect(file[name]?.shape == shape, "\(name)")
            #expect(file.dtypes[name] == .float32)
        }
        #expect(file.tensors.values.reduce(0) { $0 + $1.scalarCount } > 4_600_000)

        // Values spot-checked against NumPy.
        let stem = try #require(file["_conv_stem.weight"])
        #expect(Array(stem.scalars.prefix(4)) == [-1.1103360652923584, -1.3087704181671143, -0.010156914591789246, 0.9208119511604309])
        let bias = try #require(file["_fc.bias"])
        #expect(abs(bias.scalars.reduce(0.0) { $0 + Double($1) } - -0.04981697298353538) < 1e-6)
    }

    @Test func mobileNetV2Reads() throws {
        let file = try SafeTensors.read(from: SharedData.pretrainedFile("mobilenet_v2/mobilenet_v2_1.0_224_dequant.safetensors"))
        #expect(file.names.count == 106)
        #expect(file.dtypes.values.allSatisfy { $0 == .float32 })
    }
}
