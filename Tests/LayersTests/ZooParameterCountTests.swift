import FathomTestSupport
import Testing
import Tensor
import Layers

/// Parameter counts against PyTorch's `sum(p.numel() for p in model.parameters())` for the same
/// architectures (torchvision's published figures; the EfficientNet-Lite0 count is the sum
/// over the pretrained file's tensor list, running statistics excluded).
@Suite struct ZooParameterCountTests {
    @Test(arguments: [
        ("resnet18", 1, 2, 11_171_266),
        ("resnet18", 3, 1000, 11_689_512),
        ("resnet34", 3, 1000, 21_797_672),
        ("mobilenet-v2", 3, 1000, 3_504_872),
        ("efficientnet-lite0", 3, 1000, 4_652_008),
        ("vgg11", 3, 1000, 132_863_336),
        ("vgg11-bn", 3, 1000, 132_868_840),
        ("vgg16", 3, 1000, 138_357_544),
        ("vgg16-bn", 3, 1000, 138_365_992),
    ])
    func parameterCountMatchesPyTorch(name: String, inputChannels: Int, classCount: Int, expected: Int) throws {
        let model = try ModelZoo.make(name, inputChannels: inputChannels, classCount: classCount, seed: 0)
        #expect(model.parameterCount == expected, "\(name)")
        #expect(model.trainableParameterCount == expected)
    }

    @Test func efficientNetCountEqualsThePretrainedTensorList() throws {
        // Sum the shapes listed in tensors.txt, skipping running statistics and counters.
        let listing = try String(contentsOf: SharedData.pretrainedFile("efficientnet_lite0/tensors.txt"), encoding: .utf8)
        var total = 0, tensors = 0
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[1].hasPrefix("("), !fields[0].contains("running_"),
                  !fields[0].contains("num_batches_tracked") else { continue }
            let dimensions = line.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
                .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            total += dimensions.reduce(1, *)
            tensors += 1
        }
        let model = EfficientNetLite()
        #expect(tensors == model.namedParameters().count)
        #expect(total == model.parameterCount)
    }

    @Test func compactCNNIsSmallAndCountsItsLayers() throws {
        let model = try ModelZoo.make("compact-cnn", inputChannels: 1, classCount: 2)
        // 3×3 convolutions without bias 1→32→32→64→64, four batch norms, linear 64→2.
        let expected = 9 * (1 * 32 + 32 * 32 + 32 * 64 + 64 * 64) + 2 * (32 + 32 + 64 + 64) + 64 * 2 + 2
        #expect(model.parameterCount == expected)
    }

    @Test func unknownNamesThrowAndListTheKnownOnes() {
        #expect(throws: ModelZooError.unknownModel(name: "resnet19", available: ModelZoo.names)) {
            try ModelZoo.make("resnet19")
        }
        #expect(ModelZooError.unknownModel(name: "x", available: ["a", "b"]).description.contains("a, b"))
    }
}
