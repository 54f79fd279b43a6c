import Testing
import Tensor
import Layers

@Suite struct ZooSummaryTests {
    @Test func resNet18SummaryShapesAt128() {
        let model = ResNet.resnet18(inputChannels: 1, classCount: 2)
        let summary = model.summary(inputShape: [1, 1, 128, 128])
        // Stem: 7×7 stride 2 → 64, max pool stride 2 → 32; stages halve from layer2 on.
        #expect(summary.outputShape(of: "conv1") == [1, 64, 64, 64])
        #expect(summary.outputShape(of: "maxpool") == [1, 64, 32, 32])
        #expect(summary.outputShape(of: "layer1") == [1, 64, 32, 32])
        #expect(summary.outputShape(of: "layer2.0.downsample") == [1, 128, 16, 16])
        #expect(summary.outputShape(of: "layer2") == [1, 128, 16, 16])
        #expect(summary.outputShape(of: "layer3") == [1, 256, 8, 8])
        #expect(summary.outputShape(of: "layer4.1.conv2") == [1, 512, 4, 4])
        #expect(summary.outputShape(of: "avgpool") == [1, 512, 1, 1])
        #expect(summary.outputShape(of: "fc") == [1, 2])
        #expect(summary.totalParameters == 11_171_266)
        #expect(summary.rows.reduce(0) { $0 + $1.parameterCount } == 11_171_266)
        #expect(summary.rows.first { $0.name == "conv1" }?.parameterCount == 64 * 49)
        #expect(summary.rows.first { $0.name == "layer1.0.conv1" }?.type == "Conv2D")
        #expect(summary.rows.first { $0.name == "layer1.0.conv1" }?.depth == 2)

        let table = summary.description
        #expect(table.contains("Total parameters: 11,171,266"))
        #expect(table.contains("layer4.1.bn2 (BatchNorm2D)"))
        #expect(table.contains("[1, 512, 4, 4]"))
    }

    @Test func summaryLeavesTheModelAsItWas() {
        let model = CompactCNN(inputChannels: 1, classCount: 2)
        let before = model.stateDictionary()
        model.freeze(prefix: "features.0")
        let summary = model.summary(inputShape: [2, 1, 28, 28])
        #expect(model.modules().allSatisfy { $0.isTraining })
        for (name, tensor) in model.stateDictionary() {
            #expect(tensor.isAlmostEqual(to: before[name]!, tolerance: 0), "\(name) changed")
        }
        #expect(summary.trainableParameters == model.parameterCount - 9 * 32 - 2 * 32)
        #expect(summary.outputShape(of: "features.3") == [2, 64, 1, 1])
        #expect(summary.outputShape(of: "pool") == [2, 64])
        #expect(summary.outputShape(of: "classifier.1") == [2, 2])
    }
}
